import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import {
  RunningControlPlane,
  createToken,
  makeTempDir,
  runZenctl,
  startControlPlane,
} from '../support/processes';
import { confirm, enrollOnce } from '../support/protocol-client';

// Two control-plane processes share one Redis database and one state folder (CA keys and the
// server key), as replicas behind a load balancer would. Races are decided in Redis.
const REDIS_BASE = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const DB = 11;

function flushDb(): void {
  const url = new URL(REDIS_BASE);
  const run = spawnSync(
    'redis-cli',
    ['-h', url.hostname, '-p', url.port || '6379', '-n', `${DB}`, 'flushdb'],
    {
      encoding: 'utf8',
    },
  );
  if (run.status !== 0 || !run.stdout.includes('OK')) {
    throw new Error(
      `redis is required for this suite (${REDIS_BASE}): ${run.stderr || run.stdout}`,
    );
  }
}

describe('control-plane replicas on one Redis', () => {
  const redisUrl = `${REDIS_BASE.replace(/\/\d*$/, '')}/${DB}`;
  let dir: string;
  let stateDir: string;
  let a: RunningControlPlane;
  let b: RunningControlPlane;
  let ca: string;

  beforeAll(async () => {
    flushDb();
    dir = makeTempDir('replicas');
    stateDir = join(dir, 'cp');
    a = await startControlPlane({ stateDir, store: 'redis', redisUrl });
    b = await startControlPlane({ stateDir, store: 'redis', redisUrl });
    ca = readFileSync(join(stateDir, 'admin', 'bundle.pem'), 'utf8');
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    rmSync(dir, { recursive: true, force: true });
    flushDb();
  });

  it('issues one SVID for 50 concurrent enrollments with one token on two replicas', async () => {
    const token = await createToken(a, 'zen-agent', 'raced');

    const attempts = await Promise.all(
      Array.from({ length: 50 }, (_, i) => enrollOnce(i % 2 ? a.url : b.url, ca, token)),
    );

    const statuses = attempts.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 401)).toHaveLength(49);
    const denied = attempts.filter((r) => r.status === 401);
    expect(new Set(denied.map((r) => r.code))).toEqual(new Set(['enrollment_denied']));
  });

  it('lets an identity enrolled on one replica confirm on the other', async () => {
    const token = await createToken(b, 'ingester', 'shared');

    const { enrolled } = await enrollOnce(a.url, ca, token);
    if (!enrolled) throw new Error('enrollment on replica a failed');
    const confirmed = await confirm(b.url, enrolled);

    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toEqual({ status: 'active' });
  });

  it('keeps tokens, enrollments and the audit chain across a restart', async () => {
    const unused = await createToken(a, 'egress', 'later');
    const { enrolled } = await enrollOnce(a.url, ca, await createToken(a, 'zen-agent', 'before'));
    if (!enrolled) throw new Error('enrollment before the restart failed');
    expect((await confirm(a.url, enrolled)).status).toBe(200);

    await Promise.all([a.stop(), b.stop()]);
    a = await startControlPlane({ stateDir, store: 'redis', redisUrl });
    b = await startControlPlane({ stateDir, store: 'redis', redisUrl });

    const list = await runZenctl([
      'enrollments',
      'list',
      '--json',
      '--server',
      a.url,
      '--state-dir',
      stateDir,
    ]);
    expect(list.status).toBe(0);
    expect(list.stdout).toContain('spiffe://zen.mesh/zen-agent/before');
    const later = await enrollOnce(b.url, ca, unused);
    expect(later.status).toBe(201);
    expect(later.enrolled?.spiffeId).toBe('spiffe://zen.mesh/egress/later');
    const verify = await runZenctl(['audit', 'verify', '--server', a.url, '--state-dir', stateDir]);
    expect(verify.stderr).toBe('');
    expect(verify.status).toBe(0);
  });
});
