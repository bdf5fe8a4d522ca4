import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import Redis from 'ioredis';

import { describeStoreContract } from '../../testing';
import { makeClaim, makeToken } from '../store-contract';
import { RedisStore } from './redis-store';

// Sentinel and Cluster against real, throwaway redis-server processes on free loopback ports,
// started and killed here. Both run the WHOLE shared Store contract (with its 50-way races);
// on Cluster that proves every Lua script's keys sit in one slot.

const run = promisify(execFile);
const DEADLINE_MS = 20_000;
const SETUP_TIMEOUT_MS = 60_000;
const runId = randomBytes(4).toString('hex');
let stores = 0;

function hasRedisServer(): boolean {
  const found = ['redis-server', 'redis-cli'].every(
    (binary) => spawnSync(binary, ['--version'], { stdio: 'ignore' }).status === 0,
  );
  if (!found && process.env['CI'] !== 'true')
    console.warn('redis topology specs not run: redis-server or redis-cli is not installed');

  // Under CI the suites run anyway, so a missing binary fails them rather than hiding them.
  return found || process.env['CI'] === 'true';
}

function nextPrefix(): string {
  stores += 1;

  return `zen:{topo-${runId}-${stores}}:`;
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');

  return typeof address === 'object' && address ? address.port : 0;
}

async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());

  return [...ports];
}

/** Polls `check` every 50 ms until it passes or `DEADLINE_MS` is over, then throws its error. */
async function waitFor(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + DEADLINE_MS;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${what} not reached in ${DEADLINE_MS} ms: ${String(last ?? 'check false')}`);
}

async function redisCli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], {
    timeout: DEADLINE_MS,
  });

  return stdout;
}

/** The port of the cluster node that serves the slot of `key`, as the node at `port` sees it. */
async function portOfSlot(port: number, key: string): Promise<number> {
  const admin = new Redis(port, '127.0.0.1');
  try {
    const slot = Number(await admin.cluster('KEYSLOT', key));
    const ranges = await admin.cluster('SLOTS');

    return ranges.find(([from, to]) => from <= slot && slot <= to)?.[2]?.[1] ?? 0;
  } finally {
    admin.disconnect();
  }
}

/** Throwaway redis-server processes with their working dirs under one temp folder. */
class Servers {
  private readonly children = new Map<number, ChildProcess>();
  private readonly configs = new Map<number, string>();
  private dir = '';

  async init(): Promise<void> {
    this.dir = await mkdtemp(join(tmpdir(), 'zen-redis-topo-'));
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  /** Starts `redis-server <conf> [--sentinel]` and waits until it answers PING. */
  async start(port: number, config: string[], sentinel = false): Promise<void> {
    const conf = this.path(`redis-${port}.conf`);
    const lines = [
      `port ${port}`,
      'bind 127.0.0.1',
      `dir ${this.dir}`,
      'save ""',
      'appendonly no',
      ...config,
    ];
    await writeFile(conf, `${lines.join('\n')}\n`);
    this.configs.set(port, conf);
    await this.spawn(port, sentinel);
  }

  /** Starts the server of `port` again with the config (and cluster state) it had. */
  async restart(port: number): Promise<void> {
    await this.spawn(port, false);
  }

  /** Kills the server of `port`. */
  async stop(port: number): Promise<void> {
    const child = this.children.get(port);
    if (child) await kill(child);
  }

  /** Kills every child and removes the temp folder; safe after a failed start. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.children.values()].map(kill));
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }

  private async spawn(port: number, sentinel: boolean): Promise<void> {
    const conf = this.configs.get(port) ?? '';
    const child = spawn('redis-server', sentinel ? [conf, '--sentinel'] : [conf], {
      stdio: 'ignore',
    });
    this.children.set(port, child);
    const exited = once(child, 'exit').then(([code]) => {
      throw new Error(`redis-server on ${port} exited with ${code}`);
    });
    exited.catch(() => undefined);

    await Promise.race([
      exited,
      waitFor(`redis-server on ${port}`, async () =>
        (await redisCli(port, 'PING')).includes('PONG'),
      ),
    ]);
  }
}

async function kill(child: ChildProcess): Promise<void> {
  // A child that never started (no pid) or already ended has nothing to kill.
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;

  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

if (hasRedisServer()) {
  describe('RedisStore on Sentinel', () => {
    const servers = new Servers();
    let masterPort = 0;
    let sentinelPort = 0;

    beforeAll(async () => {
      await servers.init();
      [masterPort, sentinelPort] = await freePorts(2);
      await servers.start(masterPort, []);
      await servers.start(
        sentinelPort,
        [`sentinel monitor zenmaster 127.0.0.1 ${masterPort} 1`],
        true,
      );
      await waitFor('sentinel knows the master', async () =>
        (await redisCli(sentinelPort, 'SENTINEL', 'get-master-addr-by-name', 'zenmaster')).includes(
          String(masterPort),
        ),
      );
    }, SETUP_TIMEOUT_MS);

    afterAll(async () => {
      await servers.stopAll();
    });

    const url = () => `redis-sentinel://127.0.0.1:${sentinelPort}/zenmaster`;

    describeStoreContract(
      'RedisStore via Sentinel',
      async (retention) => new RedisStore({ url: url(), keyPrefix: nextPrefix(), ...retention }),
    );

    it('writes to the master the sentinel names', async () => {
      const keyPrefix = nextPrefix();
      const store = new RedisStore({ url: url(), keyPrefix });
      const master = new Redis(masterPort, '127.0.0.1');
      const now = Math.floor(Date.now() / 1000);
      const token = makeToken(now);
      try {
        await store.start();

        await store.putToken(token);

        expect(
          JSON.parse((await master.get(`${keyPrefix}token:${token.tokenId}`)) ?? '{}'),
        ).toEqual(token);
      } finally {
        await store.close();
        master.disconnect();
      }
    });

    // Runs last: it kills the master and starts it again, empty.
    it('fails while the master is down and recovers by itself when it returns', async () => {
      const info = jest.fn();
      const store = new RedisStore({
        url: url(),
        keyPrefix: nextPrefix(),
        logger: { warn: jest.fn(), info },
        commandTimeoutMs: 500,
        reconnectMaxDelayMs: 50,
      });
      const token = makeToken(Math.floor(Date.now() / 1000));
      try {
        await store.start();
        await store.putToken(token);

        await servers.stop(masterPort);
        await expect(store.getToken(token.tokenId)).rejects.toMatchObject({
          code: 'store_unavailable',
        });
        await expect(
          store.hitRateLimit('enroll', 'k', { points: 1, durationSeconds: 1 }),
        ).rejects.toMatchObject({ code: 'store_unavailable' });
        await servers.restart(masterPort);
        await waitFor('the store is back', () => store.ping().then(() => true));
        await store.putToken(token);

        expect(await store.getToken(token.tokenId)).toEqual(token);
        expect(info).toHaveBeenCalledWith('store reconnected', expect.any(Object));
      } finally {
        await store.close();
      }
    });
  });

  describe('RedisStore on Cluster', () => {
    const servers = new Servers();
    let ports: number[] = [];

    beforeAll(async () => {
      await servers.init();
      // Each node needs a client port and a cluster bus port; both are picked free here.
      const picked = await freePorts(6);
      ports = picked.slice(0, 3);
      for (const [i, port] of ports.entries()) {
        await servers.start(port, [
          'cluster-enabled yes',
          `cluster-port ${picked[i + 3]}`,
          `cluster-config-file ${servers.path(`nodes-${port}.conf`)}`,
          'cluster-node-timeout 5000',
        ]);
      }
      await run(
        'redis-cli',
        [
          '--cluster',
          'create',
          ...ports.map((port) => `127.0.0.1:${port}`),
          '--cluster-replicas',
          '0',
          '--cluster-yes',
        ],
        { timeout: DEADLINE_MS },
      );
      await waitFor('cluster_state:ok on every node', async () => {
        const infos = await Promise.all(ports.map((port) => redisCli(port, 'CLUSTER', 'INFO')));

        return infos.every((info) => info.includes('cluster_state:ok'));
      });
    }, SETUP_TIMEOUT_MS);

    afterAll(async () => {
      await servers.stopAll();
    });

    const url = () => `redis-cluster://${ports.map((port) => `127.0.0.1:${port}`).join(',')}`;

    describeStoreContract(
      'RedisStore via Cluster',
      async (retention) => new RedisStore({ url: url(), keyPrefix: nextPrefix(), ...retention }),
    );

    it('puts every key of a deployment in one slot on one node', async () => {
      const keyPrefix = nextPrefix();
      const store = new RedisStore({ url: url(), keyPrefix });
      const now = Math.floor(Date.now() / 1000);
      const token = makeToken(now);
      const nodes = ports.map((port) => new Redis(port, '127.0.0.1'));
      try {
        await store.start();
        await store.putToken(token);
        await store.claimToken({
          tokenId: token.tokenId,
          nowSeconds: now,
          ...makeClaim(token, now),
        });
        await store.rememberOnce('kid:nonce', 60);
        await store.hitRateLimit('enroll', '10.0.0.1', { points: 5, durationSeconds: 30 });

        const keys = Object.keys(await store.dump());
        const slots = await Promise.all(keys.map((key) => nodes[0].cluster('KEYSLOT', key)));
        const holders = await Promise.all(
          nodes.map(async (node) => (await node.keys(`${keyPrefix}*`)).length),
        );

        expect(keys.length).toBeGreaterThanOrEqual(6);
        expect(new Set(slots).size).toBe(1);
        expect(holders.filter((count) => count > 0)).toEqual([keys.length]);
      } finally {
        await store.close();
        nodes.forEach((node) => node.disconnect());
      }
    });

    // Runs last: it kills the node that holds the deployment's slot and starts it again.
    it('fails while the node of its slot is down and recovers when it returns', async () => {
      const keyPrefix = nextPrefix();
      const store = new RedisStore({
        url: url(),
        keyPrefix,
        commandTimeoutMs: 500,
        reconnectMaxDelayMs: 50,
      });
      const token = makeToken(Math.floor(Date.now() / 1000));
      try {
        await store.start();
        await store.putToken(token);
        const holder = await portOfSlot(ports[0], `${keyPrefix}token:${token.tokenId}`);

        await servers.stop(holder);
        await expect(store.getToken(token.tokenId)).rejects.toMatchObject({
          code: 'store_unavailable',
        });
        await expect(
          store.hitRateLimit('enroll', 'k', { points: 1, durationSeconds: 1 }),
        ).rejects.toMatchObject({ code: 'store_unavailable' });
        await servers.restart(holder);
        await waitFor('the node serves its slot again', () =>
          store.getToken(token.tokenId).then(() => true),
        );
        await store.putToken(token);

        expect(await store.getToken(token.tokenId)).toEqual(token);
      } finally {
        await store.close();
      }
    });
  });
} else {
  describe('RedisStore on Sentinel and Cluster', () => {
    it('runs only where redis-server is installed, and always under CI', () => {
      expect(process.env['CI']).not.toBe('true');
    });
  });
}
