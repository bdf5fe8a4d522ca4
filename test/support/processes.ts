import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { request } from 'node:https';

/** The repository root, where `bin/` lives. */
export const REPO_ROOT = resolve(__dirname, '..', '..');

/** A fresh temporary folder for one test's state. */
export function makeTempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `zen-e2e-${label}-`));
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export interface ControlPlaneOptions {
  stateDir: string;
  port?: number;
  store?: 'memory' | 'redis';
  redisUrl?: string;
  extraArgs?: string[];
}

/** A control plane running as its own process through `bin/control-plane`. */
export interface RunningControlPlane {
  url: string;
  port: number;
  stateDir: string;
  process: ChildProcess;
  output(): string;
  /** Sends SIGTERM and resolves with the exit code once the process has ended. */
  stop(): Promise<number | null>;
}

/** Starts `bin/control-plane` and waits until `/readyz` answers 200. */
export async function startControlPlane(opts: ControlPlaneOptions): Promise<RunningControlPlane> {
  const port = opts.port ?? (await freePort());
  const args = [
    '--state-dir',
    opts.stateDir,
    '--listen',
    `127.0.0.1:${port}`,
    '--store',
    opts.store ?? 'memory',
    ...(opts.redisUrl ? ['--redis-url', opts.redisUrl] : []),
    ...(opts.extraArgs ?? []),
  ];
  const child = spawn(join(REPO_ROOT, 'bin', 'control-plane'), args, {
    cwd: REPO_ROOT,
    env: { ...process.env, ZEN_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += String(chunk)));
  child.stderr?.on('data', (chunk) => (output += String(chunk)));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));

  const url = `https://localhost:${port}`;
  await waitUntilReady(
    url,
    opts.stateDir,
    () => child.exitCode !== null,
    () => output,
  );

  return {
    url,
    port,
    stateDir: opts.stateDir,
    process: child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

async function waitUntilReady(
  url: string,
  stateDir: string,
  hasExited: () => boolean,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (hasExited()) throw new Error(`control plane exited during start:\n${output()}`);
    const status = await probeReady(url, stateDir);
    if (status === 200) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`control plane not ready within 60 s:\n${output()}`);
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

export interface CommandResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `bin/zenctl` as a real process, optionally feeding `input` on stdin. */
export function runZenctl(
  args: string[],
  opts: { input?: string; cwd?: string; env?: Record<string, string> } = {},
): Promise<CommandResult> {
  return new Promise((done, fail) => {
    const child = spawn(join(REPO_ROOT, 'bin', 'zenctl'), args, {
      cwd: opts.cwd ?? REPO_ROOT,
      env: { ...process.env, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += String(chunk)));
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    child.once('error', fail);
    child.once('close', (status) => done({ status, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

/** Makes a join token through `zenctl token create` with the control plane's admin credential. */
export async function createToken(
  cp: RunningControlPlane,
  component: string,
  name: string,
): Promise<string> {
  const result = await runZenctl([
    'token',
    'create',
    '--component',
    component,
    '--name',
    name,
    '--server',
    cp.url,
    '--state-dir',
    cp.stateDir,
  ]);
  if (result.status !== 0) throw new Error(`zenctl token create failed: ${result.stderr}`);
  return result.stdout.trim();
}
