// What `npm start` and the benchmarks share: finding a free port and waiting until a
// control-plane process they started answers /readyz with its own admin bundle.
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { join } from 'node:path';

const PROBE_INTERVAL_MS = 200;

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Polls `<baseUrl>/readyz`, trusting `<stateDir>/admin/bundle.pem` once the control plane has
 * written it. Resolves with that bundle PEM when the answer is 200, or null when the process
 * exits first or `deadlineMs` passes.
 */
export async function waitUntilReady(
  baseUrl: string,
  stateDir: string,
  child: ChildProcess,
  deadlineMs = 60_000,
): Promise<string | null> {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return null;
    const caPem = readBundle(stateDir);
    if (caPem !== null && (await readyzStatus(baseUrl, caPem)) === 200) return caPem;
    await new Promise((r) => setTimeout(r, PROBE_INTERVAL_MS));
  }

  return null;
}

function readBundle(stateDir: string): string | null {
  try {
    return readFileSync(join(stateDir, 'admin', 'bundle.pem'), 'utf8');
  } catch {
    return null;
  }
}

function readyzStatus(baseUrl: string, caPem: string): Promise<number> {
  return new Promise((done) => {
    const req = request(`${baseUrl}/readyz`, { ca: caPem, timeout: 2000 }, (res) => {
      res.resume();
      done(res.statusCode ?? 0);
    });
    req.on('error', () => done(0));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}
