import { createHash } from 'node:crypto';

/**
 * The name under which a secret-bearing key (a raw nonce, a replay-window key) is stored: its
 * SHA-256 in hex, so a store dump never holds the secret itself.
 */
export function storedKeyOf(secretBearingKey: string): string {
  return createHash('sha256').update(secretBearingKey, 'utf8').digest('hex');
}
