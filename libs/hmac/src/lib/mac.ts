import { createHmac } from 'node:crypto';

import { constantTimeEqualHex } from './constant-time';

/**
 * HMAC-SHA256 of `message` under `key`, as 64 lowercase hex characters. A string message is
 * MACed as its UTF-8 bytes. This is `HMAC(K, s)` of PROTOCOL.md "Conventions".
 */
export function hmacHex(key: Buffer, message: string | Buffer): string {
  return createHmac('sha256', key).update(message).digest('hex');
}

/**
 * Checks that `macHex` is `hmacHex(key, message)`, in constant time.
 * Returns false, without throwing, for a MAC of the wrong length, in uppercase, with
 * non-hex characters, or that is not a string at all.
 */
export function verifyHmacHex(key: Buffer, message: string | Buffer, macHex: string): boolean {
  const expected = hmacHex(key, message);

  // A byte-by-byte comparison that stops early would tell a forger how many leading
  // characters of a guess are right.
  return constantTimeEqualHex(expected, macHex);
}
