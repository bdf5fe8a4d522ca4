import { nowSeconds } from '@zen/config';
import type { Clock, Random } from '@zen/config';
import { hmacHex, requestSigningString } from '@zen/hmac';

import { SIGNED_REQUEST_HEADERS } from './require-signed-request';

/** The caller's HMAC key from its enrollment bundle (`hmac_key_id`, `hmac_key`). */
export interface SignedRequestCredentials {
  hmacKeyId: string;
  hmacKey: Buffer;
}

export interface SignRequestParams {
  credentials: SignedRequestCredentials;
  method: string;
  /** The request target exactly as it goes on the request line. */
  pathAndQuery: string;
  /** The exact body bytes sent (empty when none). */
  body: Buffer;
  clock: Clock;
  random: Random;
}

/**
 * The `Zen-Key-Id`, `Zen-Timestamp`, `Zen-Nonce` (16 random bytes, hex) and `Zen-Signature`
 * headers for one request (PROTOCOL.md, Signed requests). Use a fresh call per request: the
 * nonce is single-use.
 */
export function signRequestHeaders(p: SignRequestParams): Record<string, string> {
  const timestamp = nowSeconds(p.clock);
  const nonce = p.random.bytes(16).toString('hex');
  const signature = hmacHex(
    p.credentials.hmacKey,
    requestSigningString({
      method: p.method,
      pathAndQuery: p.pathAndQuery,
      timestamp,
      nonce,
      body: p.body,
    }),
  );

  return {
    [SIGNED_REQUEST_HEADERS.keyId]: p.credentials.hmacKeyId,
    [SIGNED_REQUEST_HEADERS.timestamp]: String(timestamp),
    [SIGNED_REQUEST_HEADERS.nonce]: nonce,
    [SIGNED_REQUEST_HEADERS.signature]: signature,
  };
}
