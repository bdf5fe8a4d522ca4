import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

import {
  REPO_ROOT,
  RunningControlPlane,
  createToken,
  makeTempDir,
  startControlPlane,
} from '../support/processes';

// An outside client written from PROTOCOL.md alone (openssl, curl, jq) enrolls against a real
// control-plane process: bootstrap, challenge, enroll, confirm, replay refusal, renewal.
describe('outside client with openssl and curl', () => {
  let stateDir: string;
  let cp: RunningControlPlane;

  beforeAll(async () => {
    stateDir = makeTempDir('outside');
    cp = await startControlPlane({ stateDir: join(stateDir, 'cp') });
  });

  afterAll(async () => {
    await cp?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('enrolls, confirms and renews, and has its replayed request refused', async () => {
    const token = await createToken(cp, 'zen-agent', 'outside');

    const run = spawnSync(
      'bash',
      [join(REPO_ROOT, 'test', 'outside-client', 'enroll.sh'), cp.url, token, join(stateDir, 'c')],
      { encoding: 'utf8', timeout: 120_000 },
    );

    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('ok: bootstrap bundle mac verified');
    expect(run.stdout).toContain('ok: openssl verify -x509_strict accepts the svid');
    expect(run.stdout).toContain('ok: replayed signed request refused');
    expect(run.stdout).toContain('ok: renewed with a new key');
    expect(run.stdout).toContain('ok: openssl s_client verifies the server');
    expect(run.stdout.trim().split('\n').pop()).toBe('done: spiffe://zen.mesh/zen-agent/outside');
    expect(run.status).toBe(0);
  });

  it('refuses a second enrollment with the spent token', async () => {
    const token = await createToken(cp, 'zen-agent', 'spent');
    const first = spawnSync(
      'bash',
      [join(REPO_ROOT, 'test', 'outside-client', 'enroll.sh'), cp.url, token, join(stateDir, 'd')],
      { encoding: 'utf8', timeout: 120_000 },
    );
    expect(first.status).toBe(0);

    const second = spawnSync(
      'bash',
      [join(REPO_ROOT, 'test', 'outside-client', 'enroll.sh'), cp.url, token, join(stateDir, 'e')],
      { encoding: 'utf8', timeout: 120_000 },
    );

    expect(second.status).toBe(1);
    expect(second.stderr).toMatch(/enroll answered 401: .*"code":"enrollment_denied"/);
  });

  it('stops cleanly on SIGTERM', async () => {
    const other = await startControlPlane({ stateDir: join(stateDir, 'cp2') });

    const code = await other.stop();

    expect(code).toBe(0);
  });
});
