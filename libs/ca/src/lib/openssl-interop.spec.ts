import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { makeTestCa, type TestCa } from '../testing';
import { parseCsrPem, validateCsr } from './csr';
import { generateKeyAndCsr, type GeneratedKeyType } from './key-and-csr';
import { writePem } from './x509/pem';

// Interoperability with OpenSSL 3, the reference most users will check our certificates with.
const OPENSSL = '/usr/bin/openssl';
const ID = 'spiffe://zen.mesh/zen-agent/node-1';

function openssl(args: string[]): string {
  return execFileSync(OPENSSL, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('OpenSSL interoperability', () => {
  let dir: string;
  let ca: TestCa;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'zen-ca-openssl-'));
    ca = await makeTestCa('zen.mesh');
    writeFileSync(join(dir, 'root.pem'), ca.rootPem);
    writeFileSync(join(dir, 'intermediate.pem'), ca.intermediatePem);
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  async function issueFromCsr(csrPem: string, name: string): Promise<string> {
    const csr = parseCsrPem(csrPem);
    validateCsr(csr, ID);
    const svid = await ca.issuer.issueSvid({
      publicKeySpki: csr.publicKeySpki,
      spiffeId: ID,
      ttlSeconds: 3600,
      nowSeconds: Math.floor(Date.now() / 1000),
    });
    const path = join(dir, `${name}.pem`);
    writeFileSync(path, writePem('CERTIFICATE', svid.leafDer));

    return path;
  }

  it.each<[GeneratedKeyType]>([['P-256'], ['P-384'], ['RSA-2048']])(
    'issues an SVID for a %s CSR that passes openssl verify -x509_strict',
    async (keyType) => {
      const leaf = await issueFromCsr(
        generateKeyAndCsr({ keyType, uriSans: [ID] }).csrPem,
        `leaf-${keyType}`,
      );

      const output = openssl([
        'verify',
        '-x509_strict',
        '-CAfile',
        join(dir, 'root.pem'),
        '-untrusted',
        join(dir, 'intermediate.pem'),
        leaf,
      ]);

      expect(output.trim()).toBe(`${leaf}: OK`);
    },
  );

  it('shows the X.509-SVID profile in openssl x509 -text', async () => {
    const leaf = await issueFromCsr(generateKeyAndCsr().csrPem, 'leaf-text');

    const text = openssl(['x509', '-in', leaf, '-text', '-noout']);

    expect(text).toMatch(/X509v3 Basic Constraints: critical\s+CA:FALSE/);
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature\n/);
    expect(text).toMatch(
      /X509v3 Extended Key Usage: \s*\n\s+TLS Web Server Authentication, TLS Web Client Auth/,
    );
    expect(text).toMatch(
      /X509v3 Subject Alternative Name: critical\s+URI:spiffe:\/\/zen\.mesh\/zen-agent\/node-1\n/,
    );
    expect(text).toContain('X509v3 Subject Key Identifier');
    expect(text).toContain('X509v3 Authority Key Identifier');
    expect(text).toMatch(/Subject: ?\n/);
  });

  it('shows Key Encipherment next to Digital Signature for an RSA leaf', async () => {
    const leaf = await issueFromCsr(generateKeyAndCsr({ keyType: 'RSA-2048' }).csrPem, 'leaf-rsa');

    const text = openssl(['x509', '-in', leaf, '-text', '-noout']);

    expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature, Key Encipherment\n/);
  });

  it('accepts a P-256 CSR made by openssl req', async () => {
    openssl([
      'req',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      join(dir, 'req-p256.key'),
      '-out',
      join(dir, 'req-p256.csr'),
      '-subj',
      '/CN=x',
    ]);
    const csr = parseCsrPem(readFileSync(join(dir, 'req-p256.csr'), 'utf8'));

    expect(csr.keyType).toBe('P-256');
    expect(() => validateCsr(csr, ID)).not.toThrow();
    const leaf = await issueFromCsr(readFileSync(join(dir, 'req-p256.csr'), 'utf8'), 'leaf-req');
    expect(
      openssl([
        'verify',
        '-x509_strict',
        '-CAfile',
        join(dir, 'root.pem'),
        '-untrusted',
        join(dir, 'intermediate.pem'),
        leaf,
      ]).trim(),
    ).toBe(`${leaf}: OK`);
  });

  it('accepts an openssl CSR that asks for the expected SPIFFE ID as URI SAN', () => {
    openssl([
      'req',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-384',
      '-nodes',
      '-keyout',
      join(dir, 'req-san.key'),
      '-out',
      join(dir, 'req-san.csr'),
      '-subj',
      '/',
      '-addext',
      `subjectAltName=critical,URI:${ID}`,
    ]);
    const csr = parseCsrPem(readFileSync(join(dir, 'req-san.csr'), 'utf8'));

    expect(csr.uriSans).toEqual([ID]);
    expect(() => validateCsr(csr, ID)).not.toThrow();
  });

  it('refuses an openssl CSR with an RSA 1024 key', () => {
    openssl([
      'req',
      '-new',
      '-newkey',
      'rsa:1024',
      '-nodes',
      '-keyout',
      join(dir, 'req-rsa1024.key'),
      '-out',
      join(dir, 'req-rsa1024.csr'),
      '-subj',
      '/CN=x',
    ]);
    const csr = parseCsrPem(readFileSync(join(dir, 'req-rsa1024.csr'), 'utf8'));

    expect(() => validateCsr(csr, ID)).toThrow(
      expect.objectContaining({ code: 'csr_key_not_allowed' }),
    );
  });

  it('makes CSRs that openssl req -verify accepts', () => {
    const path = join(dir, 'ours.csr');
    writeFileSync(path, generateKeyAndCsr({ keyType: 'RSA-2048', uriSans: [ID] }).csrPem);

    const result = spawnSync(OPENSSL, ['req', '-in', path, '-verify', '-noout'], {
      encoding: 'utf8',
    });

    expect(result.status).toBe(0);
    expect(`${result.stdout}${result.stderr}`).toContain('verify OK');
  });
});
