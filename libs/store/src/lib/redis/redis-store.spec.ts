import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';

import Redis from 'ioredis';

import { describeStoreContract, redisTestUrl } from '../../testing';
import type { ClaimTokenParams, TokenRecord } from '../records';
import { makeClaim, makeToken as token } from '../store-contract';
import { RedisStore, type RedisStoreOptions } from './redis-store';

const url = redisTestUrl();
const run = randomBytes(4).toString('hex');
let stores = 0;

function options(extra: Partial<RedisStoreOptions> = {}): RedisStoreOptions {
  stores += 1;

  return { url: url as string, keyPrefix: `zen:{test-${run}-${stores}}:`, ...extra };
}

function claimParts(t: TokenRecord, now: number, publicKeySha256: string): ClaimTokenParams {
  return { tokenId: t.tokenId, nowSeconds: now, ...makeClaim(t, now, publicKeySha256) };
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');

  return typeof address === 'object' && address ? address.port : 0;
}

async function startRedisServer(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (data: Buffer) => {
      output += data.toString();
      if (output.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
  });

  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;

  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

async function eventually(check: () => Promise<void>, attempts = 100): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await check();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

if (url) {
  // Under CI the URL is used even when the probe found nothing: fail once, fast, and loudly.
  beforeAll(async () => {
    const probe = new RedisStore({ url, connectTimeoutMs: 3000 });
    try {
      await probe.start();
    } finally {
      await probe.close();
    }
  });

  afterAll(async () => {
    const admin = new Redis(url);
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, found] = await admin.scan(cursor, 'MATCH', `zen:{test-${run}-*`, 'COUNT', 1000);
      keys.push(...found);
      cursor = next;
    } while (cursor !== '0');
    if (keys.length > 0) await admin.del(...keys);
    await admin.quit();
  });

  describeStoreContract('RedisStore', async (retention) => new RedisStore(options(retention)));

  describe('RedisStore', () => {
    let store: RedisStore;
    let now: number;

    beforeEach(async () => {
      now = Math.floor(Date.now() / 1000);
      store = new RedisStore(options());
      await store.start();
    });

    afterEach(async () => {
      await store.close();
    });

    it('gives every expiring record a TTL, tokens and nonces including retention', async () => {
      const t = token(now, { expiresAt: now + 100 });
      await store.putToken(t);
      const claim = claimParts(t, now, 'ab'.repeat(32));
      await store.claimToken(claim);
      await store.putNonce('c'.repeat(64), { tokenId: t.tokenId, expiresAt: now + 60 });
      await store.rememberOnce('kid:nonce', 600);
      await store.recordSvid(
        {
          serial: '1f2e',
          spiffeId: t.spiffeId,
          enrollmentId: claim.enrollment.enrollmentId,
          certSha256: 'cd'.repeat(32),
          publicKeySha256: 'ab'.repeat(32),
          notAfter: now + 3600,
        },
        now + 9000,
      );

      const ttls = await store.keyTtlsMs();
      const ttlOf = (part: string) =>
        Object.entries(ttls).find(([key]) => key.includes(part))?.[1] ?? Number.NaN;

      expect(ttlOf(':token:')).toBeGreaterThan((100 + 86_400 - 2) * 1000);
      expect(ttlOf(':token:')).toBeLessThanOrEqual((100 + 86_400 + 1) * 1000);
      expect(ttlOf(':nonce:')).toBeGreaterThan((60 + 300 - 2) * 1000);
      expect(ttlOf(':nonce:')).toBeLessThanOrEqual((60 + 300 + 1) * 1000);
      expect(ttlOf(':once:')).toBeGreaterThan(0);
      expect(ttlOf(':once:')).toBeLessThanOrEqual(600_000);
      expect(ttlOf(':svid:')).toBeGreaterThan(3_600_000);
      expect(ttlOf(':hmac-key:')).toBeGreaterThan(7_200_000);
      expect(ttlOf(':rate:')).toBeNaN();
    });

    it('sets token and nonce TTLs to expiresAt plus the configured retention', async () => {
      const other = new RedisStore(
        options({ tokenRetentionSeconds: 1000, nonceRetentionSeconds: 30 }),
      );
      await other.start();
      try {
        await other.putToken(token(now, { expiresAt: now + 100 }));
        await other.putNonce('d'.repeat(64), { tokenId: 'abcdef0123456789', expiresAt: now + 60 });

        const ttls = Object.entries(await other.keyTtlsMs());
        const ttlOf = (part: string) => ttls.find(([key]) => key.includes(part))?.[1] ?? NaN;

        expect(ttlOf(':token:')).toBeGreaterThan((100 + 1000 - 2) * 1000);
        expect(ttlOf(':token:')).toBeLessThanOrEqual((100 + 1000 + 1) * 1000);
        expect(ttlOf(':nonce:')).toBeGreaterThan((60 + 30 - 2) * 1000);
        expect(ttlOf(':nonce:')).toBeLessThanOrEqual((60 + 30 + 1) * 1000);
      } finally {
        await other.close();
      }
    });

    it('keeps a pending token until confirmBy when its retention ends sooner', async () => {
      const other = new RedisStore(options({ tokenRetentionSeconds: 0 }));
      await other.start();
      try {
        const t = token(now, { expiresAt: now + 100 });
        await other.putToken(t);
        const claim = claimParts(t, now, 'ab'.repeat(32));

        await other.claimToken(claim);

        const ttls = Object.entries(await other.keyTtlsMs());
        const tokenTtl = ttls.find(([key]) => key.includes(':token:'))?.[1] ?? NaN;
        expect(tokenTtl).toBeGreaterThan((claim.enrollment.confirmBy - now - 2) * 1000);
        expect(tokenTtl).toBeLessThanOrEqual((claim.enrollment.confirmBy - now + 1) * 1000);
      } finally {
        await other.close();
      }
    });

    it('gives rate-limit counters a TTL of their duration', async () => {
      await store.hitRateLimit('enroll', '10.0.0.1', { points: 5, durationSeconds: 30 });

      const ttls = Object.entries(await store.keyTtlsMs()).filter(([key]) =>
        key.includes(':rate:'),
      );

      expect(ttls).toHaveLength(1);
      expect(ttls[0][1]).toBeGreaterThan(0);
      expect(ttls[0][1]).toBeLessThanOrEqual(30_000);
    });

    it('keeps every key under one hash-tagged prefix', async () => {
      await store.putToken(token(now));
      await store.rememberOnce('x', 60);

      const keys = Object.keys(await store.dump());

      expect(keys.length).toBe(2);
      expect(keys.every((key) => key.startsWith(`zen:{test-${run}-`))).toBe(true);
    });

    it('lets one of 50 claims win across two connections', async () => {
      const shared = options();
      const replicaA = new RedisStore(shared);
      const replicaB = new RedisStore(shared);
      await Promise.all([replicaA.start(), replicaB.start()]);
      const t = token(now);
      await replicaA.putToken(t);

      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          (i % 2 ? replicaA : replicaB).claimToken(
            claimParts(t, now, randomBytes(32).toString('hex')),
          ),
        ),
      );
      await Promise.all([replicaA.close(), replicaB.close()]);

      expect(results.filter((r) => r.kind === 'claimed')).toHaveLength(1);
    });
  });

  describe('RedisStore outage', () => {
    it('rejects with store_unavailable while nothing listens, nothing unhandled', async () => {
      const port = await freePort();
      const warn = jest.fn();
      const info = jest.fn();
      const unhandled = jest.fn();
      process.on('unhandledRejection', unhandled);
      const down = new RedisStore({
        url: `redis://127.0.0.1:${port}`,
        keyPrefix: `zen:{test-${run}-down}:`,
        logger: { warn, info },
        connectTimeoutMs: 300,
        reconnectMaxDelayMs: 50,
      });

      await expect(down.start()).rejects.toMatchObject({ code: 'store_unavailable' });
      await expect(down.getToken('a1b2c3d4e5f60718')).rejects.toMatchObject({
        code: 'store_unavailable',
      });
      await expect(down.ping()).rejects.toMatchObject({ code: 'store_unavailable' });
      await expect(
        down.hitRateLimit('b', 'k', { points: 1, durationSeconds: 1 }),
      ).rejects.toMatchObject({ code: 'store_unavailable' });
      await down.close();
      process.off('unhandledRejection', unhandled);

      expect(unhandled).not.toHaveBeenCalled();
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn).toHaveBeenCalledWith('store connection lost', expect.any(Object));
    });

    it('fails while Redis is stopped and recovers by itself when it returns', async () => {
      const port = await freePort();
      let server = await startRedisServer(port);
      const info = jest.fn();
      const flaky = new RedisStore({
        url: `redis://127.0.0.1:${port}`,
        logger: { warn: jest.fn(), info },
        commandTimeoutMs: 500,
        reconnectMaxDelayMs: 50,
      });
      try {
        await flaky.start();
        const t = token(Math.floor(Date.now() / 1000));
        await flaky.putToken(t);

        await stop(server);
        const during = flaky.getToken(t.tokenId);
        await expect(during).rejects.toMatchObject({ code: 'store_unavailable' });

        server = await startRedisServer(port);
        await eventually(() => flaky.ping());
        await flaky.putToken(t);

        expect(await flaky.getToken(t.tokenId)).toEqual(t);
        expect(info).toHaveBeenCalledWith('store reconnected', expect.any(Object));
      } finally {
        await flaky.close();
        await stop(server);
      }
    });
  });
} else {
  describe('RedisStore', () => {
    it('runs against Redis only where Redis answers, and always under CI', () => {
      expect(process.env['CI']).not.toBe('true');
    });
  });
}
