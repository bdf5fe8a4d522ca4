import { randomBytes } from 'node:crypto';

import type { SeenNonceMemory } from './lib/seen-nonce-memory';

/**
 * The jest suite every {@link SeenNonceMemory} implementation must pass. `factory` returns a
 * fresh memory; keys are random per test so a shared Redis needs no cleanup between runs
 * beyond the TTLs (which are short).
 */
export function describeSeenNonceMemoryContract(
  name: string,
  factory: () => Promise<SeenNonceMemory>,
): void {
  describe(`SeenNonceMemory contract: ${name}`, () => {
    const freshKey = (): string => `contract:${randomBytes(12).toString('hex')}`;

    it('answers true the first time a key is remembered and false the second time', async () => {
      const memory = await factory();
      const key = freshKey();

      const first = await memory.rememberOnce(key, 5);
      const second = await memory.rememberOnce(key, 5);

      expect([first, second]).toEqual([true, false]);
    });

    it('keeps different keys apart', async () => {
      const memory = await factory();

      const results = [
        await memory.rememberOnce(freshKey(), 5),
        await memory.rememberOnce(freshKey(), 5),
      ];

      expect(results).toEqual([true, true]);
    });

    it('grants exactly one of many concurrent calls with the same key', async () => {
      const memory = await factory();
      const key = freshKey();

      const results = await Promise.all(
        Array.from({ length: 10 }, () => memory.rememberOnce(key, 5)),
      );

      expect(results.filter((first) => first)).toHaveLength(1);
    });
  });
}
