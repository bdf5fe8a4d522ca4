import { X509Certificate } from 'node:crypto';

import { buildTestChain, TestChain } from '../testing';
import { TrustBundleError } from './errors';
import { parseSpiffeBundleJson, trustBundleToSpiffeJson } from './spiffe-bundle-json';
import { createTrustBundle } from './trust-bundle';

function codeOf(action: () => unknown): string {
  try {
    action();
  } catch (err) {
    if (err instanceof TrustBundleError) {
      return err.code;
    }
    throw err;
  }
  return 'accepted';
}

describe('trustBundleToSpiffeJson', () => {
  let ec: TestChain;
  let rsa: TestChain;

  beforeAll(async () => {
    ec = await buildTestChain({ intermediates: 0 });
    rsa = await buildTestChain({ intermediates: 0, root: { keyType: 'RSA-2048' } });
  });

  it('writes an EC root as an x509-svid JWK with x5c and its curve point', () => {
    const bundle = createTrustBundle({
      trustDomain: 'zen.mesh',
      roots: [ec.root],
      sequence: 3,
      refreshHintSeconds: 60,
    });
    const jwk = new X509Certificate(ec.root).publicKey.export({ format: 'jwk' });

    const document = trustBundleToSpiffeJson(bundle);

    expect(document).toEqual({
      keys: [
        {
          use: 'x509-svid',
          kty: 'EC',
          crv: 'P-256',
          x: jwk.x,
          y: jwk.y,
          x5c: [ec.root.toString('base64')],
        },
      ],
      spiffe_sequence: 3,
      spiffe_refresh_hint: 60,
    });
  });

  it('writes an RSA root with its modulus and exponent and no kid', () => {
    const bundle = createTrustBundle({ trustDomain: 'zen.mesh', roots: [rsa.root] });

    const [key] = trustBundleToSpiffeJson(bundle).keys;

    expect(Object.keys(key)).toEqual(['use', 'kty', 'n', 'e', 'x5c']);
    expect(key.kty).toBe('RSA');
    expect(key.e).toBe('AQAB');
  });

  it('omits the refresh hint when it is unknown', () => {
    const bundle = createTrustBundle({ trustDomain: 'zen.mesh', roots: [ec.root] });

    expect(trustBundleToSpiffeJson(bundle)).not.toHaveProperty('spiffe_refresh_hint');
  });

  it('round-trips through JSON text', () => {
    const bundle = createTrustBundle({
      trustDomain: 'zen.mesh',
      roots: [ec.root, rsa.root],
      sequence: 9,
      refreshHintSeconds: 120,
    });

    const text = JSON.stringify(trustBundleToSpiffeJson(bundle));

    expect(parseSpiffeBundleJson(text, 'zen.mesh')).toEqual(bundle);
  });
});

describe('parseSpiffeBundleJson', () => {
  let chain: TestChain;
  let x5c: string;

  beforeAll(async () => {
    chain = await buildTestChain({ intermediates: 0 });
    x5c = chain.root.toString('base64');
  });

  it('ignores keys of other uses and reads sequence and refresh hint', () => {
    const document = {
      keys: [
        { use: 'jwt-svid', kty: 'EC', kid: 'k1', crv: 'P-256', x: 'AA', y: 'AA' },
        { use: 'x509-svid', kty: 'EC', x5c: [x5c] },
      ],
      spiffe_sequence: 12,
      spiffe_refresh_hint: 300,
    };

    const bundle = parseSpiffeBundleJson(document, 'zen.mesh');

    expect(bundle).toEqual({
      trustDomain: 'zen.mesh',
      roots: [chain.root],
      sequence: 12,
      refreshHintSeconds: 300,
    });
  });

  it('accepts a document with no x509-svid key as a bundle without roots', () => {
    const bundle = parseSpiffeBundleJson({ keys: [] }, 'zen.mesh');

    expect(bundle.roots).toEqual([]);
    expect(bundle.sequence).toBe(0);
  });

  it.each<[string, () => unknown]>([
    ['text that is not JSON', () => '{"keys": ['],
    ['a document without keys', () => ({ spiffe_sequence: 1 })],
    ['an array document', () => []],
    ['a key without use', () => ({ keys: [{ kty: 'EC', x5c: [x5c] }] })],
    ['an x509-svid key without x5c', () => ({ keys: [{ use: 'x509-svid', kty: 'EC' }] })],
    ['an x509-svid key with empty x5c', () => ({ keys: [{ use: 'x509-svid', x5c: [] }] })],
    [
      'an x509-svid key with two certificates',
      () => ({ keys: [{ use: 'x509-svid', x5c: [x5c, x5c] }] }),
    ],
    [
      'x5c in base64url',
      () => ({
        keys: [{ use: 'x509-svid', x5c: [x5c.replace(/\+/g, '-').replace(/\//g, '_') + '-'] }],
      }),
    ],
    ['x5c that is not a certificate', () => ({ keys: [{ use: 'x509-svid', x5c: ['MAA='] }] })],
    [
      'a JWK curve that does not match the certificate',
      () => ({ keys: [{ use: 'x509-svid', kty: 'EC', crv: 'P-384', x5c: [x5c] }] }),
    ],
    [
      'a JWK type that does not match the certificate',
      () => ({ keys: [{ use: 'x509-svid', kty: 'RSA', x5c: [x5c] }] }),
    ],
    ['a negative sequence', () => ({ keys: [], spiffe_sequence: -1 })],
    ['a string sequence', () => ({ keys: [], spiffe_sequence: '1' })],
    ['a fractional refresh hint', () => ({ keys: [], spiffe_refresh_hint: 1.5 })],
  ])('refuses %s', (_name, makeDocument) => {
    const document = makeDocument() as object | string;

    expect(codeOf(() => parseSpiffeBundleJson(document, 'zen.mesh'))).toBe(
      'trust_bundle_malformed',
    );
  });
});
