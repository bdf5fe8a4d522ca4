import { createHash } from 'node:crypto';

import type { Random } from './random';

/**
 * A deterministic {@link Random} for tests: SHA-256 of the seed and a block counter, so the
 * same seed yields the same byte stream. Never use it outside tests.
 */
export class SeededRandom implements Random {
  private counter = 0;
  private pending = Buffer.alloc(0);

  constructor(private readonly seed: string | number = 'zen') {}

  bytes(length: number): Buffer {
    if (!Number.isSafeInteger(length) || length < 0) {
      throw new TypeError('length must be a non-negative integer');
    }
    while (this.pending.length < length) {
      const block = createHash('sha256').update(`${this.seed}\n${this.counter++}`).digest();
      this.pending = Buffer.concat([this.pending, block]);
    }
    const out = this.pending.subarray(0, length);
    this.pending = this.pending.subarray(length);

    return Buffer.from(out);
  }
}
