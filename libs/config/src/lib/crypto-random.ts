import { randomBytes } from 'node:crypto';

import type { Random } from './random';

/** The {@link Random} of production: `crypto.randomBytes`, the operating system's CSPRNG. */
export class CryptoRandom implements Random {
  bytes(length: number): Buffer {
    return randomBytes(length);
  }
}
