import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Agent, createServer } from 'node:http';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { CryptoRandom, SystemClock } from '@zen/config';
import type { Clock, Random } from '@zen/config';

import { decodeResponseBody, exchangeHttp } from './http-exchange';
import { injectPeerChain } from './peer-chain';
import { signRequestHeaders } from './sign-request';
import type { SignedRequestCredentials } from './sign-request';
import type { Transport, TransportRequest, TransportResponse } from './transport';

export interface InProcessTransportOptions {
  /** The server side: an express app (after `finishApp`) or any request listener. */
  app: RequestListener;
  /** The certificate chain (leaf first, DER) the caller presents, as if over mTLS. */
  peerChain?: Buffer[];
  signing?: SignedRequestCredentials;
  clock?: Clock;
  random?: Random;
}

const TAG_HEADER = 'x-zen-in-process-tag';

/**
 * The Transport port inside one process, for tests that wire several components together. It
 * serves the app on a private plain-HTTP listener on an ephemeral 127.0.0.1 port and tags each
 * request with a per-instance random secret; a tagged request gets `peerChain` attached as if
 * it had arrived over mTLS, so `requirePeer` and `requireSignedRequest` run their real checks
 * (SVID verification, revocation, signature, replay). Untagged requests carry no peer.
 */
export class InProcessTransport implements Transport {
  private readonly tag = randomBytes(32).toString('hex');
  private readonly agent = new Agent({ keepAlive: true });
  private readonly clock: Clock;
  private readonly random: Random;
  private server: Server | null = null;
  private origin: Promise<URL> | null = null;

  constructor(private readonly opts: InProcessTransportOptions) {
    this.clock = opts.clock ?? new SystemClock();
    this.random = opts.random ?? new CryptoRandom();
  }

  async send<T = unknown>(request: TransportRequest): Promise<TransportResponse<T>> {
    if (!request.path.startsWith('/')) throw new TypeError('path must start with /');
    const origin = await this.start();
    const body =
      request.body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(request.body));
    const headers: Record<string, string> = { Accept: 'application/json', [TAG_HEADER]: this.tag };
    if (request.body !== undefined) headers['Content-Type'] = 'application/json';
    if (this.opts.signing !== undefined) {
      const signing = this.opts.signing;
      const params = { method: request.method, pathAndQuery: request.path, body };
      Object.assign(
        headers,
        signRequestHeaders({
          ...params,
          credentials: signing,
          clock: this.clock,
          random: this.random,
        }),
      );
    }

    const raw = await exchangeHttp({
      origin,
      method: request.method,
      target: request.path,
      headers,
      body,
      agent: this.agent,
      timeoutMs: 30_000,
      maxResponseBytes: 16 * 1024 * 1024,
    });

    return { status: raw.status, headers: raw.headers, body: decodeResponseBody(raw) as T };
  }

  async close(): Promise<void> {
    this.agent.destroy();
    const server = this.server;
    this.server = null;
    this.origin = null;
    if (server === null) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private start(): Promise<URL> {
    if (this.origin !== null) return this.origin;
    const server = createServer((req, res) => this.dispatch(req, res));
    this.server = server;
    this.origin = new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        resolve(new URL(`http://127.0.0.1:${port}`));
      });
    });

    return this.origin;
  }

  private dispatch(req: IncomingMessage, res: ServerResponse): void {
    const tag = req.headers[TAG_HEADER];
    delete req.headers[TAG_HEADER];
    if (typeof tag === 'string' && this.isOurTag(tag) && this.opts.peerChain !== undefined) {
      injectPeerChain(req, this.opts.peerChain);
    }
    this.opts.app(req, res);
  }

  private isOurTag(tag: string): boolean {
    const given = Buffer.from(tag);
    const ours = Buffer.from(this.tag);

    return given.length === ours.length && timingSafeEqual(given, ours);
  }
}
