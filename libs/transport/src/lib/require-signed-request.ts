import type { Request, RequestHandler } from 'express';

import { nowSeconds } from '@zen/config';
import type { Clock } from '@zen/config';
import { SKEW_SECONDS, requestSigningString, verifyHmacHex } from '@zen/hmac';
import type { ReplayWindow } from '@zen/hmac';

import { WireError } from './wire-error';

/** Header names of a signed request (PROTOCOL.md, Signed requests). */
export const SIGNED_REQUEST_HEADERS = Object.freeze({
  keyId: 'Zen-Key-Id',
  timestamp: 'Zen-Timestamp',
  nonce: 'Zen-Nonce',
  signature: 'Zen-Signature',
});

/** The HMAC key behind a key id and the SPIFFE ID it was issued to. */
export interface ResolvedSigningKey {
  spiffeId: string;
  key: Buffer;
}

export interface RequireSignedRequestOptions {
  /** Looks up a key id; null when unknown or expired. */
  resolveKey: (keyId: string) => Promise<ResolvedSigningKey | null>;
  replay: ReplayWindow;
  clock: Clock;
}

interface SignatureHeaders {
  keyId: string;
  timestamp: number;
  nonce: string;
  signature: string;
}

const KEY_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const TIMESTAMP = /^[0-9]{1,12}$/;
const NONCE = /^[0-9a-f]{32}$/;
const SIGNATURE = /^[0-9a-f]{64}$/;

/**
 * Verifies the request signature of PROTOCOL.md ("Signed requests") after `requirePeer`, and
 * sets `req.signedKeyId`. Checks in the order PROTOCOL.md gives them: headers well-formed
 * (else 401 `signature_invalid`); the key id resolves (`signature_invalid`) to the SPIFFE ID of
 * `req.peer` (`identity_mismatch`); the timestamp is within 300 s (`skew`); the nonce was not
 * seen in the last 600 s (`replay`; it is recorded now, atomically); the HMAC over the method,
 * the request target exactly as on the request line, timestamp, nonce and sha256 of the raw
 * body verifies in constant time (`signature_invalid`). A nonce is spent even when the
 * signature then fails; only the holder of the peer's SVID key can send it, so nobody else
 * can burn another identity's nonces.
 */
export function requireSignedRequest(opts: RequireSignedRequestOptions): RequestHandler {
  return async (req, _res, next) => {
    if (req.peer === undefined) {
      throw new WireError('unauthenticated', 'client certificate required');
    }
    const headers = readSignatureHeaders(req);

    const resolved = await opts.resolveKey(headers.keyId);
    if (resolved === null) throw new WireError('signature_invalid', 'unknown signing key');
    if (resolved.spiffeId !== req.peer.spiffeId) {
      throw new WireError('identity_mismatch', 'signing key belongs to another identity');
    }

    const now = nowSeconds(opts.clock);
    if (Math.abs(now - headers.timestamp) > SKEW_SECONDS) {
      throw new WireError('skew', 'request timestamp outside the accepted window');
    }

    await checkReplay(opts.replay, headers, now);

    const signingString = requestSigningString({
      method: req.method,
      pathAndQuery: req.originalUrl,
      timestamp: headers.timestamp,
      nonce: headers.nonce,
      body: req.rawBody,
    });
    if (!verifyHmacHex(resolved.key, signingString, headers.signature)) {
      throw new WireError('signature_invalid', 'request signature does not verify');
    }
    req.signedKeyId = headers.keyId;

    next();
  };
}

function readSignatureHeaders(req: Request): SignatureHeaders {
  const keyId = req.get(SIGNED_REQUEST_HEADERS.keyId);
  const timestamp = req.get(SIGNED_REQUEST_HEADERS.timestamp);
  const nonce = req.get(SIGNED_REQUEST_HEADERS.nonce);
  const signature = req.get(SIGNED_REQUEST_HEADERS.signature);
  if (
    keyId === undefined ||
    timestamp === undefined ||
    nonce === undefined ||
    signature === undefined
  ) {
    throw new WireError('signature_invalid', 'request signature headers missing');
  }
  if (!KEY_ID.test(keyId)) throw malformed(SIGNED_REQUEST_HEADERS.keyId);
  if (!TIMESTAMP.test(timestamp)) throw malformed(SIGNED_REQUEST_HEADERS.timestamp);
  if (!NONCE.test(nonce)) throw malformed(SIGNED_REQUEST_HEADERS.nonce);
  if (!SIGNATURE.test(signature)) throw malformed(SIGNED_REQUEST_HEADERS.signature);

  return { keyId, timestamp: Number(timestamp), nonce, signature };
}

async function checkReplay(replay: ReplayWindow, headers: SignatureHeaders, now: number) {
  try {
    await replay.check({
      keyId: headers.keyId,
      nonce: headers.nonce,
      timestamp: headers.timestamp,
      nowSeconds: now,
    });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'replay')
      throw new WireError('replay', 'request nonce already used', { cause: err });
    if (code === 'skew')
      throw new WireError('skew', 'request timestamp outside the accepted window');
    throw err;
  }
}

function malformed(header: string): WireError {
  return new WireError('signature_invalid', `malformed ${header} header`);
}
