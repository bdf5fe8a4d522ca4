import { ReplayError, SkewError } from './errors';
import { MemorySeenNonceMemory } from './memory-seen-nonce-memory';
import { REPLAY_WINDOW_SECONDS, ReplayWindow, SKEW_SECONDS } from './replay-window';
import type { SeenNonceMemory } from './seen-nonce-memory';

const NOW = 1_700_000_000;

function setup(): { window: ReplayWindow; clock: { ms: number }; memory: MemorySeenNonceMemory } {
  const clock = { ms: NOW * 1000 };
  const memory = new MemorySeenNonceMemory(() => clock.ms);

  return { window: new ReplayWindow(memory), clock, memory };
}

describe('ReplayWindow', () => {
  it('uses a 300 s skew and a 600 s window', () => {
    expect([SKEW_SECONDS, REPLAY_WINDOW_SECONDS]).toEqual([300, 600]);
  });

  it.each([
    ['exactly 300 s in the past', NOW - 300],
    ['exactly 300 s in the future', NOW + 300],
    ['equal to the clock', NOW],
  ])('accepts a timestamp %s', async (_name, timestamp) => {
    const { window } = setup();

    await expect(
      window.check({ keyId: 'k1', nonce: 'n1', timestamp, nowSeconds: NOW }),
    ).resolves.toBeUndefined();
  });

  it.each([
    ['301 s in the past', NOW - 301, -301],
    ['301 s in the future', NOW + 301, 301],
  ])('refuses a timestamp %s with skew', async (_name, timestamp, skewSeconds) => {
    const { window } = setup();

    const result = window.check({ keyId: 'k1', nonce: 'n1', timestamp, nowSeconds: NOW });

    await expect(result).rejects.toBeInstanceOf(SkewError);
    await expect(result).rejects.toMatchObject({ code: 'skew', skewSeconds });
  });

  it('refuses a nonce seen before with the same key id with replay', async () => {
    const { window } = setup();
    await window.check({ keyId: 'k1', nonce: 'n1', timestamp: NOW, nowSeconds: NOW });

    const again = window.check({ keyId: 'k1', nonce: 'n1', timestamp: NOW, nowSeconds: NOW + 10 });

    await expect(again).rejects.toBeInstanceOf(ReplayError);
    await expect(again).rejects.toMatchObject({ code: 'replay', keyId: 'k1' });
  });

  it('accepts the same nonce under another key id', async () => {
    const { window } = setup();
    await window.check({ keyId: 'k1', nonce: 'n1', timestamp: NOW, nowSeconds: NOW });

    const other = window.check({ keyId: 'k2', nonce: 'n1', timestamp: NOW, nowSeconds: NOW });

    await expect(other).resolves.toBeUndefined();
  });

  it('keeps key id and nonce apart when they contain the separator characters', async () => {
    const { window } = setup();
    await window.check({ keyId: 'a:b', nonce: 'c', timestamp: NOW, nowSeconds: NOW });

    const shifted = window.check({ keyId: 'a', nonce: 'b:c', timestamp: NOW, nowSeconds: NOW });

    await expect(shifted).resolves.toBeUndefined();
  });

  it('refuses a replay in the last second its timestamp is still acceptable', async () => {
    const { window, clock } = setup();
    const timestamp = NOW + 300;
    clock.ms = NOW * 1000 + 999;
    await window.check({ keyId: 'k1', nonce: 'n1', timestamp, nowSeconds: NOW });
    clock.ms = (NOW + 600) * 1000 + 999;

    const again = window.check({ keyId: 'k1', nonce: 'n1', timestamp, nowSeconds: NOW + 600 });

    await expect(again).rejects.toMatchObject({ code: 'replay' });
  });

  it('remembers a hash of the nonce for the 600 s window plus a rounding second', async () => {
    const remembered: [string, number][] = [];
    const memory: SeenNonceMemory = {
      rememberOnce: async (key, ttlSeconds) => {
        remembered.push([key, ttlSeconds]);
        return true;
      },
    };

    await new ReplayWindow(memory).check({
      keyId: 'k',
      nonce: 'raw-nonce',
      timestamp: NOW,
      nowSeconds: NOW,
    });

    expect(remembered).toHaveLength(1);
    expect(remembered[0][1]).toBe(601);
    expect(remembered[0][0]).not.toContain('raw-nonce');
  });

  it('does not remember the nonce of a request refused for skew', async () => {
    const { window } = setup();
    await expect(
      window.check({ keyId: 'k1', nonce: 'n1', timestamp: NOW - 400, nowSeconds: NOW }),
    ).rejects.toMatchObject({ code: 'skew' });

    const later = window.check({ keyId: 'k1', nonce: 'n1', timestamp: NOW, nowSeconds: NOW });

    await expect(later).resolves.toBeUndefined();
  });

  it.each([
    ['an empty key id', { keyId: '', nonce: 'n', timestamp: NOW }, 'keyId'],
    ['an empty nonce', { keyId: 'k', nonce: '', timestamp: NOW }, 'nonce'],
    ['a fractional timestamp', { keyId: 'k', nonce: 'n', timestamp: NOW + 0.5 }, 'timestamp'],
    ['a NaN timestamp', { keyId: 'k', nonce: 'n', timestamp: Number.NaN }, 'timestamp'],
  ])('refuses %s with hmac_input_invalid', async (_name, params, field) => {
    const { window } = setup();

    const result = window.check({ ...params, nowSeconds: NOW });

    await expect(result).rejects.toMatchObject({ code: 'hmac_input_invalid', field });
  });

  it('refuses a window shorter than twice the skew at construction', () => {
    const memory = new MemorySeenNonceMemory();

    expect(() => new ReplayWindow(memory, { skewSeconds: 300, windowSeconds: 599 })).toThrow(
      TypeError,
    );
  });
});
