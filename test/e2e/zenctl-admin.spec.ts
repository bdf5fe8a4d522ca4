import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { parsePemCertificates } from '@zen/identity';

import { RunningControlPlane, runZenctl, startControlPlane } from '../support/processes';

// bin/zenctl against a real bin/control-plane (memory store, temporary state folder).
// Each spawn starts node and tsx; on a busy host a few of them take seconds.
jest.setTimeout(120_000);

describe('bin/zenctl against the control plane', () => {
  let cp: RunningControlPlane;
  let dir: string;
  const server = (): string[] => ['--server', cp.url, '--state-dir', cp.stateDir];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'zenctl-server-'));
    cp = await startControlPlane({ stateDir: join(dir, 'state') });
  }, 90_000);

  afterAll(async () => {
    await cp?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  // Runs first, before the control plane's bundle-refresh timer (15 s) has fired, so that it
  // checks zenctl and not the timing of the server's CA schedule.
  it('rotates the CA and keeps talking to the server with the new bundle', async () => {
    const rotate = await runZenctl(['ca', 'rotate', ...server()]);
    const status = await runZenctl(['ca', 'status', '--json', ...server()]);

    expect(rotate.stderr).toBe('');
    expect(rotate.status).toBe(0);
    expect(rotate.stdout).toMatch(/^prepared \S+\nactivated \S+\n$/);
    expect(JSON.parse(status.stdout).generations.map((g: { state: string }) => g.state)).toContain(
      'active',
    );
  });

  it('creates a join token and prints it alone', async () => {
    const run = await runZenctl([
      'token',
      'create',
      '--component',
      'zen-agent',
      '--name',
      'n1',
      ...server(),
    ]);

    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^zen1\.[0-9a-f]{16}\.[0-9a-f]{64}\n$/);
  });

  it('prints every token field with --json', async () => {
    const run = await runZenctl([
      'token',
      'create',
      '--component',
      'ingester',
      '--name',
      'i1',
      '--ttl',
      '10m',
      '--json',
      ...server(),
    ]);

    const token = JSON.parse(run.stdout);
    expect(run.status).toBe(0);
    expect(token).toMatchObject({ spiffe_id: 'spiffe://zen.mesh/ingester/i1' });
    expect(token.token).toBe(`zen1.${token.token_id}.${token.token.split('.')[2]}`);
    expect(Date.parse(token.expires_at) - Date.now()).toBeLessThanOrEqual(600_000);
  });

  it('maps a refused request to its wire code with exit 1', async () => {
    const run = await runZenctl([
      'token',
      'create',
      '--component',
      'database',
      '--name',
      'x',
      ...server(),
    ]);

    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^invalid_request: [^\n]+\n$/);
  });

  it('reads the admin folder from ZEN_ADMIN_DIR, from any working directory', async () => {
    const run = await runZenctl(['enrollments', 'list', '--json', '--server', cp.url], {
      cwd: dir,
      env: { ZEN_ADMIN_DIR: join(cp.stateDir, 'admin') },
    });

    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ enrollments: [] });
  });

  it('lists enrollments in plain text', async () => {
    const run = await runZenctl(['enrollments', 'list', ...server()]);

    expect(run.status).toBe(0);
    expect(run.stdout).toBe('no enrollments\n');
  });

  it('shows the CA status with the bundle sequence', async () => {
    const text = await runZenctl(['ca', 'status', ...server()]);
    const json = await runZenctl(['ca', 'status', '--json', ...server()]);

    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^bundle sequence \d+\n/);
    expect(text.stdout).toContain('active');
    expect(JSON.parse(json.stdout).generations.length).toBeGreaterThanOrEqual(1);
  });

  it('shows the bundle as SPIFFE JSON and as PEM matching the admin bundle', async () => {
    const json = await runZenctl(['bundle', 'show', ...server()]);
    const pem = await runZenctl(['bundle', 'show', '--format', 'pem', ...server()]);

    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout).keys[0]).toMatchObject({ use: 'x509-svid' });
    expect(pem.status).toBe(0);
    const adminRoots = parsePemCertificates(
      readFileSync(join(cp.stateDir, 'admin', 'bundle.pem'), 'utf8'),
    );
    expect(parsePemCertificates(pem.stdout)).toEqual(adminRoots);
  });

  it('lists audit records, after a seq too', async () => {
    const all = await runZenctl(['audit', 'list', '--json', ...server()]);
    const later = await runZenctl(['audit', 'list', '--after', '1', '--json', ...server()]);

    const records = all.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const laterRecords = later.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(all.status).toBe(0);
    expect(records[0].seq).toBe(1);
    expect(records.map((r) => r.type)).toContain('token.created');
    expect(laterRecords[0].seq).toBe(2);
  });

  it('exports the trail as JSON Lines that audit verify accepts', async () => {
    const exported = await runZenctl(['audit', 'export', ...server()]);
    const file = join(dir, 'audit.jsonl');
    writeFileSync(file, exported.stdout);

    const verify = await runZenctl(['audit', 'verify', '--file', file, ...server()]);

    expect(exported.status).toBe(0);
    expect(verify.status).toBe(0);
    expect(verify.stdout).toMatch(/^audit trail intact: \d+ records/);
  });

  it('verifies the trail fetched from the server', async () => {
    const run = await runZenctl(['audit', 'verify', '--server', cp.url], {
      env: { ZEN_ADMIN_DIR: join(cp.stateDir, 'admin') },
    });

    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('names the seq of a record edited in an export', async () => {
    const exported = await runZenctl(['audit', 'export', ...server()]);
    const lines = exported.stdout.trim().split('\n');
    const second = JSON.parse(lines[1]);
    lines[1] = JSON.stringify({ ...second, outcome: 'denied' });
    writeFileSync(join(dir, 'edited.jsonl'), `${lines.join('\n')}\n`);

    const run = await runZenctl([
      'audit',
      'verify',
      '--file',
      join(dir, 'edited.jsonl'),
      ...server(),
    ]);

    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^cli_audit_chain_broken: seq 2: /);
  });

  it('evicts an identity', async () => {
    const run = await runZenctl(['evict', 'spiffe://zen.mesh/zen-agent/n1', ...server()]);

    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^evicted spiffe:\/\/zen\.mesh\/zen-agent\/n1/);
  });

  it('exits 2 with a plain message when the server cannot be reached', async () => {
    const run = await runZenctl([
      'ca',
      'status',
      '--server',
      'https://127.0.0.1:1',
      '--state-dir',
      cp.stateDir,
    ]);

    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      'cli_server_unreachable: cannot reach https://127.0.0.1:1: ECONNREFUSED\n',
    );
  });
});
