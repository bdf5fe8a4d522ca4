import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { AuditRecord } from '@zen/audit';
import { loadCaFromDisk } from '@zen/ca';
import { buildAuditChain } from '@zen/audit/testing';
import { parsePemCertificates, toPemCertificates, trustBundleToPem } from '@zen/identity';

import { runZenctl } from '../support/processes';

// These specs run bin/zenctl as a real process, as an operator would.
// Each spawn starts node and tsx; on a busy host a few of them take seconds.
jest.setTimeout(120_000);

const TD = 'zen.test';
const SPIFFE_ID = `spiffe://${TD}/zen-agent/node-1`;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(entry.parentPath, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

function opensslCsr(dir: string, name: string, uriSan?: string): string {
  const csr = join(dir, `${name}.csr.pem`);
  execFileSync(
    '/usr/bin/openssl',
    [
      'req',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      join(dir, `${name}.key.pem`),
      '-out',
      csr,
      '-subj',
      '/O=zenctl-test',
      ...(uriSan ? ['-addext', `subjectAltName=URI:${uriSan}`] : []),
    ],
    { stdio: 'pipe' },
  );

  return csr;
}

describe('bin/zenctl spiffe-id parse', () => {
  it('prints the parts of a valid ID and exits 0', async () => {
    const run = await runZenctl(['spiffe-id', 'parse', 'spiffe://zen.mesh/ingester/i-1']);

    expect(run.status).toBe(0);
    expect(run.stdout).toBe('{"trust_domain":"zen.mesh","path":"/ingester/i-1"}\n');
  });

  it('exits 1 with code and reason on stderr, without a stack trace', async () => {
    const run = await runZenctl(['spiffe-id', 'parse', 'spiffe://zen.mesh/a/../b']);

    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^spiffe_id_path_dot_segment: [^\n]+\n$/);
  });

  it('answers one JSON line per stdin line and exits 0', async () => {
    const run = await runZenctl(['spiffe-id', 'parse', '-'], {
      input: 'spiffe://zen.mesh/x\r\n\r\nSPIFFE://zen.mesh/y',
    });

    expect(run.status).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe(
      '{"input":"spiffe://zen.mesh/x","valid":true,"trust_domain":"zen.mesh","path":"/x"}',
    );
    expect(JSON.parse(lines[1])).toMatchObject({
      input: '',
      valid: false,
      code: 'spiffe_id_empty',
    });
    expect(JSON.parse(lines[2])).toMatchObject({ input: 'SPIFFE://zen.mesh/y', valid: false });
    expect(lines[3]).toBe('');
  });
});

describe('bin/zenctl ca init, svid sign, verify and inspect', () => {
  let dir: string;
  let caDir: string;
  let svidFile: string;
  let bundleFile: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'zenctl-offline-'));
    caDir = join(dir, 'ca');
    svidFile = join(dir, 'svid.pem');
    bundleFile = join(dir, 'bundle.pem');
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a CA whose private keys are mode 0600', async () => {
    const run = await runZenctl([
      'ca',
      'init',
      '--dir',
      caDir,
      '--trust-domain',
      TD,
      '--ttl',
      '30d',
    ]);

    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/root sha256:\s+sha256:[0-9a-f]{64}\n/);
    const keys = filesUnder(caDir).filter((f) => readFileSync(f, 'utf8').includes('PRIVATE KEY'));
    expect(keys.length).toBeGreaterThanOrEqual(2);
    for (const key of keys) expect(statSync(key).mode & 0o777).toBe(0o600);
    const ca = await loadCaFromDisk(caDir);
    expect(ca.trustDomain).toBe(TD);
    writeFileSync(bundleFile, trustBundleToPem(ca.bundle));
  });

  it('refuses to initialise a CA in a folder that is not empty', async () => {
    const run = await runZenctl(['ca', 'init', '--dir', caDir, '--trust-domain', TD]);

    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^cli_ca_dir_not_empty: /);
  });

  it('signs an openssl CSR and prints the chain, leaf first', async () => {
    const csr = opensslCsr(dir, 'agent', SPIFFE_ID);

    const run = await runZenctl([
      'svid',
      'sign',
      '--ca-dir',
      caDir,
      '--csr',
      csr,
      '--spiffe-id',
      SPIFFE_ID,
      '--ttl',
      '10m',
    ]);

    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(parsePemCertificates(run.stdout).length).toBeGreaterThanOrEqual(2);
    writeFileSync(svidFile, run.stdout);
  });

  it('verifies the signed SVID, printing its SPIFFE ID', async () => {
    const run = await runZenctl([
      'svid',
      'verify',
      '--svid',
      svidFile,
      '--bundle',
      bundleFile,
      '--trust-domain',
      TD,
    ]);

    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`${SPIFFE_ID}\n`);
  });

  it('accepts the intermediates from --chain when the SVID file holds only the leaf', async () => {
    const [leaf, ...intermediates] = parsePemCertificates(readFileSync(svidFile, 'utf8'));
    writeFileSync(join(dir, 'leaf.pem'), toPemCertificates([leaf]));
    writeFileSync(join(dir, 'inter.pem'), toPemCertificates(intermediates));

    const run = await runZenctl([
      'svid',
      'verify',
      '--svid',
      join(dir, 'leaf.pem'),
      '--chain',
      join(dir, 'inter.pem'),
      '--bundle',
      bundleFile,
      '--trust-domain',
      TD,
    ]);

    expect(run.status).toBe(0);
  });

  it('exits 1 with an SVID error code for another trust domain', async () => {
    const run = await runZenctl([
      'svid',
      'verify',
      '--svid',
      svidFile,
      '--bundle',
      bundleFile,
      '--trust-domain',
      'other.test',
    ]);

    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^svid_[a-z_]+: [^\n]+\n$/);
  });

  it('exits 1 when verified at a time after the SVID expired', async () => {
    const run = await runZenctl([
      'svid',
      'verify',
      '--svid',
      svidFile,
      '--bundle',
      bundleFile,
      '--trust-domain',
      TD,
      '--at',
      '2099-01-01T00:00:00Z',
    ]);

    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^svid_[a-z_]+: /);
  });

  it.each([
    ['a missing SVID file', ['--svid', '/nonexistent/svid.pem'], /^cli_input_unreadable: /],
    ['an unparsable --at', ['--at', 'yesterday'], /^cli_input_invalid: invalid --at/],
  ])('exits 2 for %s', async (_name, extra, stderr) => {
    const base = { '--svid': svidFile, '--bundle': bundleFile, '--trust-domain': TD };
    const args = Object.entries(base).flatMap(([k, v]) => (extra.includes(k) ? [] : [k, v]));

    const run = await runZenctl(['svid', 'verify', ...args, ...extra]);

    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(stderr);
  });

  it('exits 2 for a file without certificates', async () => {
    writeFileSync(join(dir, 'empty.pem'), 'nothing here\n');

    const run = await runZenctl([
      'svid',
      'verify',
      '--svid',
      join(dir, 'empty.pem'),
      '--bundle',
      bundleFile,
      '--trust-domain',
      TD,
    ]);

    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^cli_input_invalid: /);
  });

  it('produces a chain that openssl verify -x509_strict accepts', () => {
    const [leaf, ...intermediates] = parsePemCertificates(readFileSync(svidFile, 'utf8'));
    writeFileSync(join(dir, 'leaf.pem'), toPemCertificates([leaf]));
    writeFileSync(join(dir, 'inter.pem'), toPemCertificates(intermediates));

    const out = execFileSync(
      '/usr/bin/openssl',
      [
        'verify',
        '-x509_strict',
        '-CAfile',
        bundleFile,
        '-untrusted',
        join(dir, 'inter.pem'),
        join(dir, 'leaf.pem'),
      ],
      { encoding: 'utf8' },
    );

    expect(out.trim()).toBe(`${join(dir, 'leaf.pem')}: OK`);
  });

  it('refuses a SPIFFE ID outside the CA trust domain with exit 1', async () => {
    const csr = opensslCsr(dir, 'foreign');

    const run = await runZenctl([
      'svid',
      'sign',
      '--ca-dir',
      caDir,
      '--csr',
      csr,
      '--spiffe-id',
      'spiffe://other.test/zen-agent/x',
    ]);

    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^cli_trust_domain_mismatch: /);
  });

  it('refuses a CSR whose URI SAN names another SPIFFE ID with exit 1', async () => {
    const csr = opensslCsr(dir, 'mismatch', `spiffe://${TD}/zen-agent/other`);

    const run = await runZenctl([
      'svid',
      'sign',
      '--ca-dir',
      caDir,
      '--csr',
      csr,
      '--spiffe-id',
      SPIFFE_ID,
    ]);

    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^csr_uri_san_mismatch: /);
  });

  it('inspects the SVID in plain text', async () => {
    const run = await runZenctl(['svid', 'inspect', svidFile]);

    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`spiffe id:  ${SPIFFE_ID}\n`);
    expect(run.stdout).toMatch(/^serial: +[0-9a-f]+$/m);
    expect(run.stdout).toMatch(/^not after: +\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/m);
    expect(run.stdout).toMatch(/^key type: +P-256$/m);
    expect(run.stdout).toMatch(/^issuer: +\S/m);
  });

  it('inspects the SVID as JSON', async () => {
    const run = await runZenctl(['svid', 'inspect', svidFile, '--json']);

    const facts = JSON.parse(run.stdout);
    expect(run.status).toBe(0);
    expect(facts).toMatchObject({ spiffe_id: SPIFFE_ID, key_type: 'P-256' });
    expect(facts.serial).toMatch(/^[1-9a-f][0-9a-f]*$/);
    expect(Date.parse(facts.not_after) - Date.parse(facts.not_before)).toBe(660_000);
    expect(facts.chain_length).toBeGreaterThanOrEqual(2);
  });
});

describe('bin/zenctl audit verify --file', () => {
  const chain = buildAuditChain(120);
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'zenctl-audit-proc-'));
    writeFileSync(join(dir, 'key.pub.pem'), chain.key.publicKeyPem);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function write(name: string, records: AuditRecord[]): string {
    writeFileSync(join(dir, name), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    return join(dir, name);
  }

  it('exits 0 for an intact export', async () => {
    const file = write('intact.jsonl', chain.records);

    const run = await runZenctl([
      'audit',
      'verify',
      '--file',
      file,
      '--key',
      join(dir, 'key.pub.pem'),
    ]);

    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      /^audit trail intact: 120 records, 1 checkpoint, seq 1\.\.120, head [0-9a-f]{64}\n$/,
    );
  });

  it('exits 1 naming the seq of an edited record', async () => {
    const edited = chain.records.map((r) =>
      r.seq === 33 ? { ...r, actor: 'spiffe://zen.test/admin/mallory' } : r,
    );
    const file = write('edited.jsonl', edited);

    const run = await runZenctl([
      'audit',
      'verify',
      '--file',
      file,
      '--key',
      join(dir, 'key.pub.pem'),
    ]);

    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^cli_audit_chain_broken: seq 33: [^\n]+\n$/);
  });
});
