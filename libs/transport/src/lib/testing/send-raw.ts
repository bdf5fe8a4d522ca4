import { request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders, RequestListener, Server } from 'node:http';
import { createServer } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';

/** A response as the spec sees it: JSON parsed when possible. */
export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: unknown;
}

export interface RawRequestOptions {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  /** Sent in these chunks (chunked encoding when no Content-Length header is given). */
  chunks?: Buffer[];
  /** TLS options (cert, key, ca) for https. */
  tls?: { cert?: string; key?: string; ca: string };
}

/** Sends one request exactly as given, for specs that need headers a client would not send. */
export function sendRaw(baseUrl: string, opts: RawRequestOptions): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;

  return new Promise((resolve, reject) => {
    const req = send({
      hostname: url.hostname,
      port: url.port,
      method: opts.method ?? 'GET',
      path: opts.path,
      headers: opts.headers,
      agent: false,
      ...(opts.tls ?? {}),
    });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown = undefined;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    for (const chunk of opts.chunks ?? []) req.write(chunk);
    req.end();
  });
}

/** Serves a request listener over plain HTTP on an ephemeral loopback port. */
export async function startPlainServer(
  app: RequestListener,
): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
