import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import {
  RunningControlPlane,
  createToken,
  freePort,
  makeTempDir,
  startControlPlane,
} from '../support/processes';
import { httpsJson } from '../support/protocol-client';

// A control-plane process loses its Redis: requests that need the store get 503 unavailable
// (never a 500, never a crash), and it recovers on its own when Redis comes back.
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  await eventually(async () => {
    const ping = spawn('redis-cli', ['-p', String(port), 'ping']);
    const code = await new Promise<number | null>((done) => ping.once('exit', done));
    if (code !== 0) throw new Error('redis not up yet');
  });
  return child;
}

async function stopRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGKILL');
  await exited;
}

/** Retries `check` every 200 ms for up to 30 s; the last failure is thrown. */
async function eventually<T>(check: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

describe('control plane when Redis goes away', () => {
  let dir: string;
  let redisPort: number;
  let redis: ChildProcess;
  let cp: RunningControlPlane;
  let ca: string;

  beforeAll(async () => {
    dir = makeTempDir('outage');
    redisPort = await freePort();
    redis = await startRedis(redisPort);
    const stateDir = join(dir, 'cp');
    cp = await startControlPlane({
      stateDir,
      store: 'redis',
      redisUrl: `redis://127.0.0.1:${redisPort}`,
    });
    ca = readFileSync(join(stateDir, 'admin', 'bundle.pem'), 'utf8');
  });

  afterAll(async () => {
    await cp?.stop();
    if (redis) await stopRedis(redis);
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 unavailable while Redis is down and recovers when it returns', async () => {
    const token = await createToken(cp, 'zen-agent', 'outage');
    const tokenId = token.split('.')[1];
    const challenge = () =>
      httpsJson(`${cp.url}/v1/enroll/challenge`, 'POST', JSON.stringify({ token_id: tokenId }), {
        ca,
      });
    expect((await challenge()).status).toBe(200);

    await stopRedis(redis);
    const during = await challenge();
    const ready = await httpsJson(`${cp.url}/readyz`, 'GET', null, { ca });
    const live = await httpsJson(`${cp.url}/healthz`, 'GET', null, { ca });

    expect(during.status).toBe(503);
    expect(during.body).toEqual({ error: { code: 'unavailable', message: expect.any(String) } });
    expect(ready.status).toBe(503);
    expect(live.status).toBe(200);
    expect(cp.process.exitCode).toBeNull();

    redis = await startRedis(redisPort);
    const after = await eventually(async () => {
      const res = await challenge();
      if (res.status !== 200) throw new Error(`still ${res.status}`);
      return res;
    });

    expect(after.body.nonce).toMatch(/^[0-9a-f]{64}$/);
  });
});
