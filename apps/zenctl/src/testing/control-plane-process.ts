import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

const REPO_ROOT = resolve(__dirname, '..', '..', '..', '..');
const READY_DEADLINE_MS = 60_000;
const PROBE_INTERVAL_MS = 200;

/** A control plane started through `bin/control-plane` for specs. */
export interface ControlPlaneProcess {
  url: string;
  stateDir: string;
  output(): string;
  stop(): Promise<void>;
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

/** Starts a control plane with the memory store and waits until `/readyz` answers 200. */
export async function startControlPlane(stateDir: string): Promise<ControlPlaneProcess> {
  const port = await freePort();
  const args = ['--state-dir', stateDir, '--listen', `127.0.0.1:${port}`, '--store', 'memory'];
  const child = spawn(join(REPO_ROOT, 'bin', 'control-plane'), args, {
    cwd: REPO_ROOT,
    env: { ...process.env, ZEN_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += String(chunk)));
  child.stderr?.on('data', (chunk) => (output += String(chunk)));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));

  const url = `https://localhost:${port}`;
  await waitUntilReady(child, url, stateDir, () => output);

  return {
    url,
    stateDir,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

async function waitUntilReady(
  child: ChildProcess,
  url: string,
  stateDir: string,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + READY_DEADLINE_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`control plane exited:\n${output()}`);
    if ((await probeReady(url, stateDir)) === 200) return;
    await new Promise((next) => setTimeout(next, PROBE_INTERVAL_MS));
  }
  child.kill('SIGTERM');
  throw new Error(`control plane not ready in time:\n${output()}`);
}

function probeReady(url: string, stateDir: string): Promise<number> {
  let ca: Buffer;
  try {
    ca = readFileSync(join(stateDir, 'admin', 'bundle.pem'));
  } catch {
    return Promise.resolve(0);
  }

  return new Promise((done) => {
    const req = request(`${url}/readyz`, { ca, timeout: 2000 }, (res) => {
      res.resume();
      done(res.statusCode ?? 0);
    });
    req.on('error', () => done(0));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}
