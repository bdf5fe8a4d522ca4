import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parsePemCertificates } from './certificate-encoding';
import { SpiffeIdError, TrustBundleError } from './errors';
import { createTrustBundle, trustBundleToDer, trustBundleToPem } from './trust-bundle';

const ROOT_PEM = readFileSync(join(__dirname, 'fixtures', 'openssl-root.pem'), 'utf8');
const [ROOT] = parsePemCertificates(ROOT_PEM);
const [OTHER] = parsePemCertificates(
  readFileSync(join(__dirname, 'fixtures', 'openssl-intermediate.pem'), 'utf8'),
);

describe('createTrustBundle', () => {
  it('keeps roots in order, drops exact duplicates and defaults the sequence to zero', () => {
    const bundle = createTrustBundle({ trustDomain: 'zen.mesh', roots: [ROOT, OTHER, ROOT] });

    expect(bundle).toEqual({ trustDomain: 'zen.mesh', roots: [ROOT, OTHER], sequence: 0 });
  });

  it('keeps the sequence and refresh hint', () => {
    const bundle = createTrustBundle({
      trustDomain: 'zen.mesh',
      roots: [ROOT],
      sequence: 7,
      refreshHintSeconds: 300,
    });

    expect(bundle.sequence).toBe(7);
    expect(bundle.refreshHintSeconds).toBe(300);
  });

  it('refuses a root that is not a certificate', () => {
    const action = () => createTrustBundle({ trustDomain: 'zen.mesh', roots: [Buffer.of(1)] });

    expect(action).toThrow(TrustBundleError);
    expect(action).toThrow(expect.objectContaining({ code: 'trust_bundle_malformed' }));
  });

  it.each([
    ['a negative sequence', { sequence: -1 }],
    ['a fractional sequence', { sequence: 1.5 }],
    ['a negative refresh hint', { refreshHintSeconds: -5 }],
  ])('refuses %s', (_name, extra) => {
    const action = () => createTrustBundle({ trustDomain: 'zen.mesh', roots: [ROOT], ...extra });

    expect(action).toThrow(expect.objectContaining({ code: 'trust_bundle_malformed' }));
  });

  it('refuses an invalid trust domain name', () => {
    const action = () => createTrustBundle({ trustDomain: 'Zen.Mesh', roots: [ROOT] });

    expect(action).toThrow(SpiffeIdError);
  });
});

describe('trustBundleToPem and trustBundleToDer', () => {
  it('emit the roots as PEM blocks and as concatenated DER', () => {
    const bundle = createTrustBundle({ trustDomain: 'zen.mesh', roots: [ROOT, OTHER] });

    expect(parsePemCertificates(trustBundleToPem(bundle))).toEqual([ROOT, OTHER]);
    expect(trustBundleToDer(bundle)).toEqual(Buffer.concat([ROOT, OTHER]));
  });
});
