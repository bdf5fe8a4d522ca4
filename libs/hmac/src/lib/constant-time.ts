import { timingSafeEqual } from 'node:crypto';

/**
 * Compares two lowercase hex strings in time that depends only on their lengths.
 * Returns false when the lengths differ or when either holds any character other than
 * `0-9a-f` (uppercase counts as malformed, as PROTOCOL.md writes hex in lowercase).
 * Never throws, also not for non-string input.
 */
export function constantTimeEqualHex(a: string, b: string): boolean {
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  // Lengths are public (a MAC is always 64 characters); only the content must not leak.
  if (left.length !== right.length) return false;

  // Every byte is inspected whatever the earlier ones held, so the shape check leaks nothing.
  const malformed = nonHexCount(left) | nonHexCount(right);
  const equal = timingSafeEqual(left, right);

  return equal && malformed === 0;
}

function nonHexCount(bytes: Buffer): number {
  let bad = 0;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    bad |= (inRange(c, 0x30, 0x39) | inRange(c, 0x61, 0x66)) ^ 1;
  }

  return bad;
}

/** 1 when `lo <= c <= hi`, else 0, computed without a data-dependent branch. */
function inRange(c: number, lo: number, hi: number): number {
  return (((c - lo) | (hi - c)) >>> 31) ^ 1;
}
