// `npm start`: runs every component that exists on this machine, on the memory store by
// default (ZEN_STORE=redis REDIS_URL=... for Redis), with state under .zen/, until Ctrl-C.
import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

import { waitUntilReady } from '../harness/control-plane-process';

const ROOT = resolve(__dirname, '..', '..');
const STATE = resolve(ROOT, process.env.ZEN_STATE_DIR ?? '.zen');
const LISTEN = process.env.ZEN_LISTEN ?? '127.0.0.1:8443';
const STORE = process.env.ZEN_STORE ?? 'memory';

function startControlPlane(stateDir: string): ChildProcess {
  const args = ['--state-dir', stateDir, '--listen', LISTEN, '--store', STORE];
  if (STORE === 'redis')
    args.push('--redis-url', process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  // Component logs are JSON; keep them in a file so the terminal shows only the summary.
  mkdirSync(stateDir, { recursive: true });
  const log = openSync(join(stateDir, 'control-plane.log'), 'a');
  return spawn(join(ROOT, 'bin', 'control-plane'), args, {
    cwd: ROOT,
    stdio: ['ignore', log, log],
  });
}

async function main(): Promise<void> {
  const cpState = join(STATE, 'control-plane');
  const port = LISTEN.split(':').pop();
  const url = `https://localhost:${port}`;
  const cp = startControlPlane(cpState);

  const stopAll = (signal: NodeJS.Signals) => {
    if (cp.exitCode === null) cp.kill(signal);
  };
  process.on('SIGINT', () => stopAll('SIGTERM'));
  process.on('SIGTERM', () => stopAll('SIGTERM'));
  cp.on('exit', (code) => {
    console.log(`control plane stopped (exit ${code ?? 'signal'})`);
    process.exit(code ?? 0);
  });

  if ((await waitUntilReady(url, cpState, cp)) === null) {
    console.error(
      'control plane did not become ready; see its log under ' + relative(ROOT, cpState),
    );
    stopAll('SIGTERM');
    return;
  }
  const rel = relative(ROOT, cpState) || '.';
  console.log(`control plane   ${url}  (store: ${STORE}, trust domain: zen.mesh)`);
  console.log(`admin creds     ${rel}/admin/`);
  console.log(`logs            ${rel}/control-plane.log`);
  console.log('make a join token:');
  console.log(
    '  ./bin/zenctl token create --component zen-agent --name demo ' +
      `--server ${url} --state-dir ${rel}`,
  );
  console.log('Ctrl-C stops everything.');
}

void main();
