import { Agent } from 'node:https';
import type { PeerCertificate } from 'node:tls';
import { checkServerIdentity } from 'node:tls';

import { CryptoRandom, SystemClock } from '@zen/config';
import type { Clock, Random } from '@zen/config';

import { decodeResponseBody, exchangeHttp } from './http-exchange';
import { signRequestHeaders } from './sign-request';
import type { SignedRequestCredentials } from './sign-request';

export interface ZenHttpClientOptions {
  /** `https://host:port` (a path prefix is kept in front of every request path). */
  baseUrl: string;
  /** The trust bundle roots, PEM: the only CAs the server certificate may chain to. */
  caPem: string;
  /** Our SVID (leaf then intermediates) for mTLS; omit for public endpoints. */
  certChainPem?: string;
  keyPem?: string;
  /** Signs every request when given (PROTOCOL.md, Signed requests). */
  signing?: SignedRequestCredentials;
  /** When set, the server certificate must carry exactly this URI SAN as well. */
  serverSpiffeId?: string;
  random?: Random;
  clock?: Clock;
  /** Per request, default 10 s. */
  timeoutMs?: number;
  /** Default 16 MiB. */
  maxResponseBytes?: number;
}

/** What the client can change after a renewal or a bundle rotation. */
export interface ZenHttpClientCredentials {
  caPem?: string;
  certChainPem?: string;
  keyPem?: string;
  signing?: SignedRequestCredentials;
}

/** A response of any status: the client does not throw on 4xx or 5xx. */
export interface ZenHttpResponse<T> {
  status: number;
  /** Lowercase names. */
  headers: Record<string, string>;
  /** Parsed JSON, text for other content types, undefined when empty. */
  body: T;
}

/**
 * An HTTPS client for Zen Mesh endpoints: mTLS with our SVID, server certificate pinned to the
 * bundle roots, JSON in and out, and request signing over exactly the bytes and request
 * target sent. Connections are kept alive. Throws only `TransportError`s (connect failure,
 * timeout, undecodable response), never for an HTTP status.
 */
export class ZenHttpClient {
  private readonly origin: URL;
  private readonly prefix: string;
  private readonly clock: Clock;
  private readonly random: Random;
  private options: ZenHttpClientOptions;
  private agent: Agent;

  constructor(opts: ZenHttpClientOptions) {
    const url = new URL(opts.baseUrl);
    if (url.protocol !== 'https:') throw new TypeError('baseUrl must be an https URL');
    this.origin = new URL(url.origin);
    this.prefix = url.pathname.replace(/\/+$/, '');
    this.clock = opts.clock ?? new SystemClock();
    this.random = opts.random ?? new CryptoRandom();
    this.options = opts;
    this.agent = this.makeAgent();
  }

  /** Sends `body` (if any) as JSON to `pathAndQuery` (starting with `/`). */
  async request<T = unknown>(
    method: string,
    pathAndQuery: string,
    body?: unknown,
  ): Promise<ZenHttpResponse<T>> {
    if (!pathAndQuery.startsWith('/')) throw new TypeError('pathAndQuery must start with /');
    const upperMethod = method.toUpperCase();
    const target = this.prefix + pathAndQuery;
    const bytes = body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body), 'utf8');
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (this.options.signing !== undefined) {
      Object.assign(
        headers,
        signRequestHeaders({
          credentials: this.options.signing,
          method: upperMethod,
          pathAndQuery: target,
          body: bytes,
          clock: this.clock,
          random: this.random,
        }),
      );
    }

    const raw = await exchangeHttp({
      origin: this.origin,
      method: upperMethod,
      target,
      headers,
      body: bytes,
      agent: this.agent,
      timeoutMs: this.options.timeoutMs ?? 10_000,
      maxResponseBytes: this.options.maxResponseBytes ?? 16 * 1024 * 1024,
    });

    return { status: raw.status, headers: raw.headers, body: decodeResponseBody(raw) as T };
  }

  /** Uses new credentials from the next request on; open connections are closed. */
  updateCredentials(next: ZenHttpClientCredentials): void {
    this.options = { ...this.options, ...next };
    const old = this.agent;
    this.agent = this.makeAgent();
    old.destroy();
  }

  /** Closes kept-alive connections. */
  close(): void {
    this.agent.destroy();
  }

  private makeAgent(): Agent {
    const expected = this.options.serverSpiffeId;

    return new Agent({
      keepAlive: true,
      ca: this.options.caPem,
      cert: this.options.certChainPem,
      key: this.options.keyPem,
      minVersion: 'TLSv1.2',
      checkServerIdentity:
        expected === undefined
          ? checkServerIdentity
          : (host: string, cert: PeerCertificate) => checkSpiffeServer(host, cert, expected),
    });
  }
}

function checkSpiffeServer(host: string, cert: PeerCertificate, expected: string) {
  const hostError = checkServerIdentity(host, cert);
  if (hostError !== undefined) return hostError;
  const uris = (cert.subjectaltname ?? '')
    .split(', ')
    .filter((name) => name.startsWith('URI:'))
    .map((name) => name.slice(4));
  if (uris.length !== 1 || uris[0] !== expected) {
    return new Error('server certificate does not carry the expected SPIFFE ID');
  }

  return undefined;
}
