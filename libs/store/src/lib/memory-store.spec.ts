import { describeStoreContract } from '../testing';
import { MemoryStore } from './memory-store';
import type { TokenRecord } from './records';
import { makeToken } from './store-contract';

describeStoreContract('MemoryStore', async () => new MemoryStore());

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

  it('expires a token when its clock passes expiresAt', async () => {
    await store.putToken(token(START + 60));

    nowMs += 59_000;
    const before = await store.getToken('a1b2c3d4e5f60718');
    nowMs += 1_000;
    const after = await store.getToken('a1b2c3d4e5f60718');

    expect(before?.tokenId).toBe('a1b2c3d4e5f60718');
    expect(after).toBeNull();
  });

  it('expires a nonce at its expiresAt', async () => {
    await store.putNonce('n'.repeat(64), { tokenId: 'a1b2c3d4e5f60718', expiresAt: START + 60 });

    nowMs += 60_000;

    expect(await store.consumeNonce('n'.repeat(64))).toBeNull();
  });

  it('forgets a remembered key after its ttl', async () => {
    await store.rememberOnce('kid:nonce', 600);

    nowMs += 599_000;
    const inside = await store.rememberOnce('kid:nonce', 600);
    nowMs += 1_000;
    const after = await store.rememberOnce('kid:nonce', 600);

    expect([inside, after]).toEqual([false, true]);
  });

  it('sweeps expired records on later writes so memory stays bounded', async () => {
    for (let i = 0; i < 100; i += 1) {
      await store.putNonce(`nonce-${i}`, { tokenId: 'a1b2c3d4e5f60718', expiresAt: START + 60 });
      await store.rememberOnce(`kid:${i}`, 60);
    }
    expect(store.heldExpiringRecords()).toBe(200);

    nowMs += 61_000;
    await store.rememberOnce('kid:later', 60);

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
