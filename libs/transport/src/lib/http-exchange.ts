import { request as httpRequest } from 'node:http';
import type { Agent, IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

import { TransportConnectError, TransportResponseError, TransportTimeoutError } from './errors';

/** One request as it goes on the wire. */
export interface HttpExchangeParams {
  origin: URL;
  method: string;
  /** Request target, sent as is on the request line. */
  target: string;
  headers: Record<string, string>;
  body: Buffer;
  agent: Agent;
  timeoutMs: number;
  maxResponseBytes: number;
}

/** A response with its body bytes; header names lowercase, repeated values joined. */
export interface RawHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * Sends one HTTP(S) request and reads the whole response. Never throws for an HTTP status;
 * throws `TransportConnectError`, `TransportTimeoutError` or `TransportResponseError` (body
 * over `maxResponseBytes`) when no usable response arrives.
 */
export function exchangeHttp(p: HttpExchangeParams): Promise<RawHttpResponse> {
  const send = p.origin.protocol === 'https:' ? httpsRequest : httpRequest;
  const headers = { ...p.headers };
  if (p.body.length > 0 || p.method !== 'GET') headers['Content-Length'] = String(p.body.length);

  return new Promise((resolve, reject) => {
    const req = send({
      protocol: p.origin.protocol,
      hostname: p.origin.hostname.replace(/^\[|\]$/g, ''),
      port: p.origin.port,
      method: p.method,
      path: p.target,
      headers,
      agent: p.agent,
    });
    req.setTimeout(p.timeoutMs, () => {
      req.destroy(new TransportTimeoutError(`no response from ${p.origin.origin} in time`));
    });
    req.on('error', (err) => {
      if (err instanceof TransportTimeoutError || err instanceof TransportResponseError) {
        return reject(err);
      }
      reject(new TransportConnectError(`request to ${p.origin.origin} failed`, { cause: err }));
    });
    req.on('response', (res) => {
      readResponse(res, p.maxResponseBytes, resolve, (err) => {
        reject(err);
        req.destroy();
      });
    });
    req.end(p.body);
  });
}

function readResponse(
  res: IncomingMessage,
  maxBytes: number,
  resolve: (r: RawHttpResponse) => void,
  fail: (err: Error) => void,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  res.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > maxBytes) return fail(new TransportResponseError('response body too large'));
    chunks.push(chunk);
  });
  res.on('end', () => {
    resolve({
      status: res.statusCode ?? 0,
      headers: flattenHeaders(res.headers),
      body: Buffer.concat(chunks),
    });
  });
  res.on('error', fail);
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }

  return flat;
}

/** The body as JSON when it says so, as text otherwise, undefined when empty. */
export function decodeResponseBody(raw: RawHttpResponse): unknown {
  if (raw.body.length === 0) return undefined;
  const type = raw.headers['content-type'] ?? '';
  if (!/^application\/([a-z0-9.+-]*\+)?json\b/i.test(type)) return raw.body.toString('utf8');
  try {
    return JSON.parse(raw.body.toString('utf8'));
  } catch (cause) {
    throw new TransportResponseError('response body is not valid JSON', { cause });
  }
}
