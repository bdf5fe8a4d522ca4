import { describeStoreContract } from '../testing';
import { MemoryStore } from './memory-store';
import type { TokenRecord } from './records';
import { makeClaim, makeToken } from './store-contract';

describeStoreContract('MemoryStore', async (retention) => new MemoryStore(retention));

const START_MS = 1_700_000_000_000;
const START = START_MS / 1000;

function token(expiresAt: number): TokenRecord {
  return makeToken(START, { tokenId: 'a1b2c3d4e5f60718', expiresAt });
}

describe('MemoryStore', () => {
  let nowMs: number;
  let store: MemoryStore;

  beforeEach(() => {
    nowMs = START_MS;
    store = new MemoryStore({ nowMs: () => nowMs });
  });

  it('keeps a token for its retention past expiresAt, then drops it', async () => {
    store = new MemoryStore({ nowMs: () => nowMs, tokenRetentionSeconds: 100 });
    await store.putToken(token(START + 60));

    nowMs += 60_000;
    const expired = await store.getToken('a1b2c3d4e5f60718');
    nowMs += 99_000;
    const retained = await store.getToken('a1b2c3d4e5f60718');
    nowMs += 1_000;
    const after = await store.getToken('a1b2c3d4e5f60718');

    expect(expired?.expiresAt).toBe(START + 60);
    expect(retained?.expiresAt).toBe(START + 60);
    expect(after).toBeNull();
  });

  it('keeps a pending token until confirmBy even when its retention ends sooner', async () => {
    store = new MemoryStore({ nowMs: () => nowMs, tokenRetentionSeconds: 0 });
    const pending = token(START + 100);
    await store.putToken(pending);
    const parts = makeClaim(pending, START);
    await store.claimToken({ tokenId: pending.tokenId, nowSeconds: START, ...parts });

    nowMs += (parts.enrollment.confirmBy - START - 1) * 1000;
    const inside = await store.getToken(pending.tokenId);
    nowMs += 1_000;
    const after = await store.getToken(pending.tokenId);

    expect(inside).toMatchObject({ state: 'pending', expiresAt: START + 100 });
    expect(after).toBeNull();
  });

  it('hands out an expired nonce during its retention and drops it after', async () => {
    store = new MemoryStore({ nowMs: () => nowMs, nonceRetentionSeconds: 30 });
    const record = { tokenId: 'a1b2c3d4e5f60718', expiresAt: START + 60 };
    await store.putNonce('n'.repeat(64), record);
    await store.putNonce('m'.repeat(64), record);

    nowMs += 89_000;
    const retained = await store.consumeNonce('n'.repeat(64));
    nowMs += 1_000;
    const after = await store.consumeNonce('m'.repeat(64));

    expect(retained).toEqual(record);
    expect(after).toBeNull();
  });

  it('forgets a remembered key after its ttl', async () => {
    await store.rememberOnce('kid:nonce', 600);

    nowMs += 599_000;
    const inside = await store.rememberOnce('kid:nonce', 600);
    nowMs += 1_000;
    const after = await store.rememberOnce('kid:nonce', 600);

    expect([inside, after]).toEqual([false, true]);
  });

  it('sweeps expired records, nonces after their retention, so memory stays bounded', async () => {
    for (let i = 0; i < 100; i += 1) {
      await store.putNonce(`nonce-${i}`, { tokenId: 'a1b2c3d4e5f60718', expiresAt: START + 60 });
      await store.rememberOnce(`kid:${i}`, 60);
    }
    expect(store.heldExpiringRecords()).toBe(200);

    nowMs += 61_000;
    await store.rememberOnce('kid:later', 60);
    expect(store.heldExpiringRecords()).toBe(101);

    nowMs += 300_000;
    await store.rememberOnce('kid:latest', 60);

    expect(store.heldExpiringRecords()).toBe(1);
    expect(Object.keys(await store.dump())).toHaveLength(1);
  });

  it('hands out copies that callers cannot use to change stored records', async () => {
    await store.putToken(token(START + 60));

    const copy = await store.getToken('a1b2c3d4e5f60718');
    if (copy) copy.locked = true;

    expect(await store.getToken('a1b2c3d4e5f60718')).toMatchObject({ locked: false });
  });
});
