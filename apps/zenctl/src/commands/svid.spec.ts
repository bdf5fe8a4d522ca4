import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  parsePemCertificates,
  toPemCertificates,
  trustBundleToDer,
  trustBundleToPem,
  trustBundleToSpiffeJson,
} from '@zen/identity';

import { runCli } from '../cli';
import { captureIo } from '../testing/capture-io';
import { inspectSvidFile, parseRfc3339, parseTtl } from './svid';

const SPIFFE_ID = 'spiffe://zen.test/egress/e-1';

describe('svid verify and inspect', () => {
  let dir: string;
  const file = (name: string): string => join(dir, name);

  beforeAll(async () => {
    // Imported lazily, as the command modules load @zen/ca only when they need it.
    const { makeTestCa } = await import('@zen/ca/testing');
    dir = mkdtempSync(join(tmpdir(), 'zenctl-svid-'));
    const ca = await makeTestCa('zen.test');
    const svid = await ca.issueSvidWithKey({ spiffeId: SPIFFE_ID, ttlSeconds: 600 });
    const rsa = await ca.issueSvidWithKey({ spiffeId: SPIFFE_ID, keyType: 'RSA-2048' });
    writeFileSync(file('svid.pem'), svid.chainPem);
    writeFileSync(file('leaf.pem'), toPemCertificates([svid.leafDer]));
    writeFileSync(file('rsa.pem'), rsa.chainPem);
    writeFileSync(file('inter.pem'), ca.intermediatePem);
    writeFileSync(file('bundle.pem'), trustBundleToPem(ca.bundle));
    writeFileSync(file('bundle.der'), trustBundleToDer(ca.bundle));
    writeFileSync(file('bundle.json'), JSON.stringify(trustBundleToSpiffeJson(ca.bundle)));
    writeFileSync(
      file('garbage.pem'),
      '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
    );
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const verify = (...args: string[]) => {
    const io = captureIo();
    return runCli(['svid', 'verify', ...args], io).then((code) => ({ code, io }));
  };

  it.each(['bundle.pem', 'bundle.der', 'bundle.json'])(
    'prints the SPIFFE ID of a valid SVID with a bundle in %s',
    async (bundle) => {
      const { code, io } = await verify(
        '--svid',
        file('svid.pem'),
        '--bundle',
        file(bundle),
        '--trust-domain',
        'zen.test',
      );

      expect(io.err()).toBe('');
      expect(code).toBe(0);
      expect(io.out()).toBe(`${SPIFFE_ID}\n`);
    },
  );

  it('takes intermediates from --chain', async () => {
    const { code } = await verify(
      '--svid',
      file('leaf.pem'),
      '--chain',
      file('inter.pem'),
      '--bundle',
      file('bundle.pem'),
      '--trust-domain',
      'zen.test',
    );

    expect(code).toBe(0);
  });

  it('exits 1 with the identity code when the intermediate is missing', async () => {
    const { code, io } = await verify(
      '--svid',
      file('leaf.pem'),
      '--bundle',
      file('bundle.pem'),
      '--trust-domain',
      'zen.test',
    );

    expect(code).toBe(1);
    expect(io.err()).toMatch(/^svid_[a-z_]+: /);
  });

  it('exits 1 for another trust domain', async () => {
    const { code, io } = await verify(
      '--svid',
      file('svid.pem'),
      '--bundle',
      file('bundle.pem'),
      '--trust-domain',
      'other.test',
    );

    expect(code).toBe(1);
    expect(io.err()).toMatch(/^svid_[a-z_]+: /);
  });

  it('exits 1 at a time after notAfter', async () => {
    const at = new Date(Date.now() + 3600_000).toISOString();

    const { code, io } = await verify(
      '--svid',
      file('svid.pem'),
      '--bundle',
      file('bundle.pem'),
      '--trust-domain',
      'zen.test',
      '--at',
      at,
    );

    expect(code).toBe(1);
    expect(io.err()).toMatch(/^svid_expired: /);
  });

  it.each([
    [
      'a missing SVID file',
      ['--svid', 'missing.pem', '--bundle', 'bundle.pem'],
      /^cli_input_unreadable: /,
    ],
    [
      'a missing bundle file',
      ['--svid', 'svid.pem', '--bundle', 'missing.pem'],
      /^cli_input_unreadable: /,
    ],
    [
      'a certificate block that does not parse',
      ['--svid', 'garbage.pem', '--bundle', 'bundle.pem'],
      /^cli_input_invalid: /,
    ],
    [
      'a bundle that does not parse',
      ['--svid', 'svid.pem', '--bundle', 'garbage.pem'],
      /^cli_input_invalid: /,
    ],
  ])('exits 2 for %s', async (_name, [o1, f1, o2, f2], stderr) => {
    const { code, io } = await verify(o1, file(f1), o2, file(f2), '--trust-domain', 'zen.test');

    expect(code).toBe(2);
    expect(io.err()).toMatch(stderr);
  });

  it('describes a P-256 SVID', async () => {
    const facts = await inspectSvidFile(file('svid.pem'));

    expect(facts).toMatchObject({ spiffe_id: SPIFFE_ID, key_type: 'P-256', chain_length: 2 });
    expect(Date.parse(facts.not_after) - Date.parse(facts.not_before)).toBe(660_000);
    expect(facts.serial).toMatch(/^[1-9a-f][0-9a-f]*$/);
    expect(facts.subject).toBe('');
  });

  it('names the RSA key size', async () => {
    expect((await inspectSvidFile(file('rsa.pem'))).key_type).toBe('RSA-2048');
  });

  it('prints aligned fields in plain text and a JSON document with --json', async () => {
    const text = captureIo();
    const json = captureIo();

    await runCli(['svid', 'inspect', file('svid.pem')], text);
    await runCli(['svid', 'inspect', file('svid.pem'), '--json'], json);

    expect(text.out().split('\n')[0]).toBe(`spiffe id:  ${SPIFFE_ID}`);
    expect(text.out()).toMatch(/^key type: {3}P-256$/m);
    expect(JSON.parse(json.out())).toEqual(await inspectSvidFile(file('svid.pem')));
  });

  it('prints the serial as lowercase hex without leading zero bytes', async () => {
    const facts = await inspectSvidFile(file('svid.pem'));
    const leaf = new X509Certificate(
      parsePemCertificates(readFileSync(file('svid.pem'), 'utf8'))[0],
    );

    expect(facts.serial).toBe(leaf.serialNumber.toLowerCase().replace(/^(00)+/, ''));
  });
});

describe('parseTtl and parseRfc3339', () => {
  it.each([
    ['seconds', '300', 300],
    ['minutes', '10m', 600],
    ['hours', '1h', 3600],
  ])('reads %s', (_name, text, seconds) => {
    expect(parseTtl(text)).toBe(seconds);
  });

  it('refuses a TTL that is not a duration with exit 2', () => {
    expect(() => parseTtl('soon')).toThrow(
      expect.objectContaining({ code: 'cli_input_invalid', exitCode: 2 }),
    );
  });

  it('reads an RFC 3339 time with an offset and refuses a bare date', () => {
    expect(parseRfc3339('2030-01-02T03:04:05+01:00')).toBe(Date.UTC(2030, 0, 2, 2, 4, 5));
    expect(() => parseRfc3339('2030-01-02')).toThrow(expect.objectContaining({ exitCode: 2 }));
  });
});
