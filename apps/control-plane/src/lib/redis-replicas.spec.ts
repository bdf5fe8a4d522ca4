import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Redis from 'ioredis';

import { redisTestUrl } from '@zen/store/testing';

import { TestControlPlane } from '../testing/harness';

import { CaScheduler } from './ca-scheduler';

// redisTestUrl() is undefined only off CI with no Redis answering; under CI=true a missing Redis
// fails the run instead of skipping this suite.
const REDIS_URL = redisTestUrl();
const describeRedis = REDIS_URL ? describe : describe.skip;

describeRedis('control plane replicas on the redis store', () => {
  const prefix = `zen-cp-spec-${randomBytes(6).toString('hex')}:{zen}:`;
  let dir: string;
  let a: TestControlPlane;
  let b: TestControlPlane;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'zen-cp-redis-'));
    const settings = {
      stateDir: dir,
      store: 'redis',
      redisUrl: REDIS_URL,
      redisKeyPrefix: prefix,
      signer: 'file',
    };
    a = await TestControlPlane.start(settings);
    b = await TestControlPlane.start(settings);
  });

  afterAll(async () => {
    await a?.close({ keepState: true });
    await b?.close({ keepState: true });
    rmSync(dir, { recursive: true, force: true });
    const redis = new Redis(REDIS_URL as string);
    const keys = await redis.keys(`${prefix.replace(/[{}]/g, '\\$&')}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('issues one SVID for concurrent enrollments with one token across two replicas', async () => {
    const token = await a.createToken('zen-agent', 'shared-race');
    const attempts = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).prepareEnroll(token)),
    );

    const results = await Promise.all(
      attempts.map((attempt, i) => (i % 2 ? b : a).sendEnroll(attempt)),
    );

    const statuses = results.map((r) => r.res.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 401)).toHaveLength(19);
  });

  it('confirms on one replica an enrollment made on the other, with one audit chain', async () => {
    const identity = await a.enrollPending('ingester', 'shared');

    const confirm = await b.identityClient(identity).request('POST', '/v1/enroll/confirm', {
      enrollment_id: identity.enrollmentId,
    });
    const records = await b.auditRecords();

    expect(confirm.status).toBe(200);
    expect(records.map((r) => r.seq)).toEqual(records.map((_, i) => i + 1));
    expect(records.filter((r) => r.type === 'enrollment.confirmed').pop()?.subject).toBe(
      identity.spiffeId,
    );
  });

  it('lets a replica pick up a CA rotation made by the other on its next refresh', async () => {
    const rotate = await a.adminClient().request('POST', '/v1/admin/ca/rotate');

    await b.container.resolve(CaScheduler).refresh();
    const status = await b
      .adminClient()
      .request<{ generations: { state: string }[] }>('GET', '/v1/admin/ca');

    expect(rotate.status).toBe(200);
    expect(status.body.generations.map((g) => g.state).sort()).toEqual(['active', 'old']);
    expect(b.bundlePem()).toBe(a.bundlePem());
  });
});
