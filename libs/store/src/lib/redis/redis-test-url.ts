import { spawnSync } from 'node:child_process';

const DEFAULT_TEST_URL = 'redis://127.0.0.1:6379';
const PROBE_TIMEOUT_MS = 3000;

// Runs in a child process so that the decision is made synchronously, when the spec file is
// loaded, before jest collects its tests.
const PROBE = `
const [host, port] = process.argv.slice(1);
const socket = require('node:net').connect(Number(port), host);
socket.setTimeout(${PROBE_TIMEOUT_MS - 500}, () => process.exit(1));
socket.on('connect', () => socket.write('PING\\r\\n'));
socket.on('data', (data) => process.exit(/^(\\+PONG|-NOAUTH)/.test(String(data)) ? 0 : 1));
socket.on('error', () => process.exit(1));
`;

/**
 * The Redis URL specs run against: `REDIS_URL`, else `redis://127.0.0.1:6379`. Undefined only
 * when that Redis does not answer and `CI` is not `'true'` (a warning says so); under CI the URL
 * is returned anyway, so the Redis suites fail rather than vanish.
 */
export function redisTestUrl(): string | undefined {
  const url = process.env['REDIS_URL'] || DEFAULT_TEST_URL;
  if (process.env['CI'] === 'true' || isReachable(url)) return url;

  console.warn(`redis specs not run: nothing answers at ${redactUrl(url)} (set REDIS_URL)`);

  return undefined;
}

function isReachable(url: string): boolean {
  if (!/^redis:\/\//.test(url)) return true;

  const parsed = new URL(url);
  const probe = spawnSync(
    process.execPath,
    ['-e', PROBE, parsed.hostname || '127.0.0.1', parsed.port || '6379'],
    { timeout: PROBE_TIMEOUT_MS, stdio: 'ignore' },
  );

  return probe.status === 0;
}

function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
