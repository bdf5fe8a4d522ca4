import { describeSeenNonceMemoryContract } from '../testing';

import { MemorySeenNonceMemory } from './memory-seen-nonce-memory';

describeSeenNonceMemoryContract('MemorySeenNonceMemory', async () => new MemorySeenNonceMemory());

describe('MemorySeenNonceMemory', () => {
  function setup(): { memory: MemorySeenNonceMemory; clock: { ms: number } } {
    const clock = { ms: 1_000_000 };

    return { memory: new MemorySeenNonceMemory(() => clock.ms), clock };
  }

  it('forgets a key once its TTL has passed', async () => {
    const { memory, clock } = setup();
    await memory.rememberOnce('a', 60);

    clock.ms += 59_999;
    const beforeExpiry = await memory.rememberOnce('a', 60);
    clock.ms += 1;
    const atExpiry = await memory.rememberOnce('a', 60);

    expect([beforeExpiry, atExpiry]).toEqual([false, true]);
  });

  it('sweeps expired entries so memory stays bounded', async () => {
    const { memory, clock } = setup();
    for (let i = 0; i < 100; i++) await memory.rememberOnce(`old-${i}`, 5);
    expect(memory.size).toBe(100);

    clock.ms += 10_000;
    await memory.rememberOnce('fresh', 5);

    expect(memory.size).toBe(1);
  });

  it('keeps entries that are still live during a sweep', async () => {
    const { memory, clock } = setup();
    await memory.rememberOnce('short', 5);
    await memory.rememberOnce('long', 600);

    clock.ms += 10_000;
    await memory.rememberOnce('fresh', 5);

    expect(memory.size).toBe(2);
    await expect(memory.rememberOnce('long', 600)).resolves.toBe(false);
  });

  it('refuses a TTL that is not positive', async () => {
    const { memory } = setup();

    await expect(memory.rememberOnce('a', 0)).rejects.toThrow(TypeError);
  });
});
