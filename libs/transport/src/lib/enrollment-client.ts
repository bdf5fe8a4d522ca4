import { request } from 'node:https';

import { SystemClock, nowSeconds } from '@zen/config';
import type { Clock } from '@zen/config';
import { bundleMacString, enrollMacString, hmacHex, verifyHmacHex } from '@zen/hmac';

import { TransportConnectError, TransportError, TransportResponseError } from './errors';
import { ZenHttpClient } from './zen-http-client';
import type { ZenHttpResponse } from './zen-http-client';

/** The two halves of `zen1.<token_id>.<secret>`; `key` is the 32 secret bytes. */
export interface JoinToken {
  tokenId: string;
  key: Buffer;
}

/** The trust bundle a new component learned through the bootstrap endpoint. */
export interface BootstrapBundle {
  trustDomain: string;
  bundlePem: string;
  sequence: number;
}

/** The enrollment bundle of a `201` answer, with the HMAC key as bytes. */
export interface EnrollmentBundle {
  enrollmentId: string;
  spiffeId: string;
  svidPem: string;
  bundlePem: string;
  bundleSequence: number;
  expiresAt: string;
  renewAfter: string;
  hmacKeyId: string;
  hmacKey: Buffer;
}

/** A wire refusal: the status and the `error` object of the body. */
export interface Refusal {
  ok: false;
  status: number;
  code: string;
  message: string;
}

/** Either the enrollment bundle or the refusal. */
export type EnrollOutcome = { ok: true; bundle: EnrollmentBundle } | Refusal;

const JOIN_TOKEN = /^zen1\.([0-9a-f]{16})\.([0-9a-f]{64})$/;

/** Splits a join token; throws `TransportError` (`join_token_malformed`) naming no part of it. */
export function parseJoinToken(token: string): JoinToken {
  const match = JOIN_TOKEN.exec(token.trim());
  if (!match) {
    throw new TransportError('join_token_malformed', 'join token is not zen1.<16 hex>.<64 hex>');
  }

  return { tokenId: match[1], key: Buffer.from(match[2], 'hex') };
}

/**
 * Trust bootstrap (PROTOCOL.md): fetches the bundle before the server certificate can be
 * trusted, then trusts it only if its MAC under the token key verifies. Throws
 * `TransportError` `bootstrap_mac_invalid` when it does not (a wrong server, or a token the
 * server does not know: both look the same by design).
 */
export async function fetchBootstrapBundle(
  baseUrl: string,
  token: JoinToken,
  opts: { timeoutMs?: number } = {},
): Promise<BootstrapBundle> {
  const url = new URL(`/v1/enroll/bundle?token_id=${token.tokenId}`, baseUrl);
  const body = await getUnverified(url, opts.timeoutMs ?? 10_000);
  const doc = body as Partial<Record<'trust_domain' | 'bundle_pem' | 'mac', unknown>> & {
    sequence?: unknown;
  };
  if (typeof doc.bundle_pem !== 'string' || typeof doc.mac !== 'string') {
    throw new TransportResponseError('bootstrap answer lacks bundle_pem or mac');
  }

  const expected = bundleMacString({ tokenId: token.tokenId, bundlePem: doc.bundle_pem });
  if (!verifyHmacHex(token.key, expected, doc.mac)) {
    throw new TransportError('bootstrap_mac_invalid', 'bootstrap bundle MAC does not verify');
  }

  return {
    trustDomain: String(doc.trust_domain),
    bundlePem: doc.bundle_pem,
    sequence: Number(doc.sequence),
  };
}

/**
 * The unauthenticated half of enrollment over HTTPS pinned to the bundle: challenge, then
 * enroll with the HMAC of PROTOCOL.md over the CSR the caller made with its own key. The
 * private key never reaches this class. Refusals are returned, not thrown; only transport
 * failures throw.
 */
export class EnrollmentClient {
  private readonly http: ZenHttpClient;
  private readonly clock: Clock;

  constructor(opts: { baseUrl: string; caPem: string; clock?: Clock; timeoutMs?: number }) {
    this.clock = opts.clock ?? new SystemClock();
    this.http = new ZenHttpClient({
      baseUrl: opts.baseUrl,
      caPem: opts.caPem,
      clock: this.clock,
      timeoutMs: opts.timeoutMs,
    });
  }

  /** Challenge and enroll once; a retry after a lost answer sends a CSR for the same key. */
  async enroll(token: JoinToken, csrPem: string): Promise<EnrollOutcome> {
    const challenge = await this.http.request<{ nonce?: unknown }>('POST', '/v1/enroll/challenge', {
      token_id: token.tokenId,
    });
    if (challenge.status !== 200) return refusal(challenge);
    const nonce = String(challenge.body.nonce);

    const timestamp = nowSeconds(this.clock);
    const csrDer = csrPemToDer(csrPem);
    const mac = hmacHex(
      token.key,
      enrollMacString({ tokenId: token.tokenId, nonce, timestamp, csrDer }),
    );
    const answer = await this.http.request<Record<string, unknown>>('POST', '/v1/enroll', {
      token_id: token.tokenId,
      nonce,
      csr: csrPem,
      timestamp,
      mac,
    });
    if (answer.status !== 201) return refusal(answer);

    return { ok: true, bundle: toEnrollmentBundle(answer.body) };
  }

  /** Closes kept-alive connections. */
  close(): void {
    this.http.close();
  }
}

/** A client that speaks as an enrolled identity: mTLS with its SVID and signed requests. */
export function identityClient(
  baseUrl: string,
  identity: Pick<EnrollmentBundle, 'svidPem' | 'bundlePem' | 'hmacKeyId' | 'hmacKey'>,
  keyPem: string,
  opts: { clock?: Clock; timeoutMs?: number } = {},
): ZenHttpClient {
  return new ZenHttpClient({
    baseUrl,
    caPem: identity.bundlePem,
    certChainPem: identity.svidPem,
    keyPem,
    signing: { hmacKeyId: identity.hmacKeyId, hmacKey: identity.hmacKey },
    clock: opts.clock,
    timeoutMs: opts.timeoutMs,
  });
}

function toEnrollmentBundle(body: Record<string, unknown>): EnrollmentBundle {
  const hmacKey = String(body.hmac_key);
  if (!/^[0-9a-f]{64}$/.test(hmacKey)) {
    throw new TransportResponseError('enrollment answer has no well-formed hmac_key');
  }

  return {
    enrollmentId: String(body.enrollment_id),
    spiffeId: String(body.spiffe_id),
    svidPem: String(body.svid_pem),
    bundlePem: String(body.bundle_pem),
    bundleSequence: Number(body.bundle_sequence),
    expiresAt: String(body.expires_at),
    renewAfter: String(body.renew_after),
    hmacKeyId: String(body.hmac_key_id),
    hmacKey: Buffer.from(hmacKey, 'hex'),
  };
}

function refusal(res: ZenHttpResponse<unknown>): Refusal {
  const error = (res.body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;

  return {
    ok: false,
    status: res.status,
    code: typeof error?.code === 'string' ? error.code : 'unknown',
    message: typeof error?.message === 'string' ? error.message : '',
  };
}

function csrPemToDer(pem: string): Buffer {
  const match =
    /-----BEGIN CERTIFICATE REQUEST-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE REQUEST-----/.exec(
      pem,
    );
  if (!match) throw new TypeError('csrPem is not a CERTIFICATE REQUEST PEM block');

  return Buffer.from(match[1].replace(/\s+/g, ''), 'base64');
}

// The one request made before any certificate can be trusted: the answer is worthless until
// its MAC verifies, which the caller checks before using any of it.
function getUnverified(url: URL, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request(url, { rejectUnauthorized: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch (err) {
          reject(new TransportResponseError('bootstrap answer is not JSON', { cause: err }));
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) =>
      reject(new TransportConnectError(`cannot reach ${url.host}`, { cause: err })),
    );
    req.end();
  });
}
