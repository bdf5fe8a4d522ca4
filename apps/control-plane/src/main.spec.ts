import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BIN = resolve(__dirname, '..', '..', '..', 'bin', 'control-plane');
const READY =
  /^control-plane ready on https:\/\/127\.0\.0\.1:(\d+) \(trust domain zen\.mesh, store memory\)$/m;

function getStatus(url: string, ca: string): Promise<number> {
  return new Promise((done, fail) => {
    request(url, { ca }, (res) => {
      res.resume();
      done(res.statusCode ?? 0);
    })
      .on('error', fail)
      .end();
  });
}

describe('bin/control-plane', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'zen-cp-bin-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts from any cwd, JSON logs on stdout, ready on stderr, exits 0 on SIGTERM', async () => {
    const child = spawn(BIN, ['--state-dir', join(dir, 'state'), '--listen', '127.0.0.1:0'], {
      cwd: tmpdir(),
      env: { ...process.env, ZEN_LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += String(chunk)));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    const port = await new Promise<number>((done, fail) => {
      child.stderr.on('data', (chunk) => {
        stderr += String(chunk);
        const match = READY.exec(stderr);
        if (match) done(Number(match[1]));
      });
      child.once('exit', () => fail(new Error(`exited before ready: ${stderr}`)));
    });

    const ca = readFileSync(join(dir, 'state', 'admin', 'bundle.pem'), 'utf8');
    const ready = await getStatus(`https://localhost:${port}/readyz`, ca);
    child.kill('SIGTERM');
    const code = await exited;

    expect(ready).toBe(200);
    expect(code).toBe(0);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    const lines = stdout.split('\n').filter((line) => line !== '');
    expect(lines.map((line) => JSON.parse(line).message)).toEqual(
      expect.arrayContaining(['listening', 'shutdown']),
    );
  }, 60_000);
});
