import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

/** `bin/zenctl` of this checkout. */
export const ZENCTL_BIN = resolve(__dirname, '..', '..', '..', '..', 'bin', 'zenctl');

/** What a finished zenctl process left behind. */
export interface ZenctlRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `bin/zenctl` as a real process, optionally feeding `input` on stdin. */
export function runZenctl(
  args: string[],
  opts: { input?: string; cwd?: string; env?: Record<string, string> } = {},
): Promise<ZenctlRun> {
  return new Promise((done, fail) => {
    const child = spawn(ZENCTL_BIN, args, {
      cwd: opts.cwd ?? process.cwd(),
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
