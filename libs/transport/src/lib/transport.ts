import type { InjectionToken } from 'tsyringe';

/** One call to another component: method, request target and optional JSON body. */
export interface TransportRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path and query, starting with `/`, e.g. `/v1/keys/ab12`. */
  path: string;
  /** Sent as JSON when present. */
  body?: unknown;
}

/** The answer, whatever its status; error bodies are `{"error":{"code","message"}}`. */
export interface TransportResponse<T = unknown> {
  status: number;
  /** Lowercase header names. */
  headers: Record<string, string>;
  body: T;
}

/**
 * The calling side of component-to-component traffic: sends a request as this component's
 * identity (SVID and, when it holds one, its request-signing key) and returns the response.
 * Never throws for an HTTP status; throws `TransportError` when no response arrives.
 */
export interface Transport {
  send<T = unknown>(request: TransportRequest): Promise<TransportResponse<T>>;
  /** Releases connections (and, in process, the loopback listener). */
  close(): Promise<void>;
}

/** Injection token of the Transport port. */
export const TRANSPORT: InjectionToken<Transport> = Symbol('zen.transport.Transport');
