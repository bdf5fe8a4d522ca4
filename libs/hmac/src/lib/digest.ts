import { createHash } from 'node:crypto';

/**
 * Lowercase hex SHA-256 of `data`; a string is hashed as its UTF-8 bytes.
 * This is `sha256hex(x)` of PROTOCOL.md "Conventions".
 */
export function sha256hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}
