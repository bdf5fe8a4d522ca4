import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import fc from 'fast-check';

import { buildTestChain, corruptSignature, TestChain } from '../testing';
import { parsePemCertificates } from './certificate-encoding';
import { SvidError, SvidErrorCode } from './errors';
import { createTrustBundle } from './trust-bundle';
import { verifyX509Svid, VerifyX509SvidParams } from './x509-svid';

const NOW_MS = 1_700_000_000_000;
const HOUR_MS = 3_600_000;

function codeOf(params: VerifyX509SvidParams): string {
  try {
    verifyX509Svid(params);
  } catch (err) {
    if (err instanceof SvidError) {
      return err.code;
    }
    throw err;
  }
  return 'accepted';
}

describe('verifyX509Svid', () => {
  let chain: TestChain;

  beforeAll(async () => {
    chain = await buildTestChain({ nowMs: NOW_MS });
  });

  it('accepts a leaf → intermediate → root chain', () => {
    const result = verifyX509Svid({ chain: chain.chain, bundle: chain.bundle, atMs: NOW_MS });

    expect(result.spiffeId.uri).toBe('spiffe://zen.mesh/zen-agent/test');
    expect(result.leaf.equals(chain.leaf)).toBe(true);
    expect(result.path).toEqual([chain.leaf, chain.intermediates[0], chain.root]);
    expect(result.serial).toMatch(/^[0-9a-f]+$/);
    expect(result.notAfterMs).toBe(NOW_MS + HOUR_MS);
  });

  it('accepts a leaf signed directly by the root', async () => {
    const direct = await buildTestChain({ nowMs: NOW_MS, intermediates: 0 });

    const result = verifyX509Svid({ chain: direct.chain, bundle: direct.bundle, atMs: NOW_MS });

    expect(result.path).toEqual([direct.leaf, direct.root]);
  });

  it('accepts two intermediates', async () => {
    const deep = await buildTestChain({ nowMs: NOW_MS, intermediates: 2 });

    const result = verifyX509Svid({ chain: deep.chain, bundle: deep.bundle, atMs: NOW_MS });

    expect(result.path).toHaveLength(4);
  });

  it('accepts intermediates sent in any order and ignores extra certificates', async () => {
    const deep = await buildTestChain({ nowMs: NOW_MS, intermediates: 2 });
    const shuffled = [deep.leaf, chain.intermediates[0], ...[...deep.intermediates].reverse()];

    const result = verifyX509Svid({ chain: shuffled, bundle: deep.bundle, atMs: NOW_MS });

    expect(result.path).toHaveLength(4);
  });

  it('accepts a chain that repeats the root', () => {
    const withRoot = [...chain.chain, chain.root];

    const result = verifyX509Svid({ chain: withRoot, bundle: chain.bundle, atMs: NOW_MS });

    expect(result.path).toHaveLength(3);
  });

  it('picks the root that signed the chain among several with the same subject', async () => {
    const other = await buildTestChain({ nowMs: NOW_MS });
    const bundle = createTrustBundle({ trustDomain: 'zen.mesh', roots: [other.root, chain.root] });

    const result = verifyX509Svid({ chain: chain.chain, bundle, atMs: NOW_MS });

    expect(result.path[2].equals(chain.root)).toBe(true);
  });

  it('accepts a leaf with DNS and IP SANs besides its URI SAN', async () => {
    const server = await chain.issueLeaf({ dnsSans: ['localhost'], ipSans: ['127.0.0.1'] });

    expect(codeOf({ chain: server.chain, bundle: chain.bundle, atMs: NOW_MS })).toBe('accepted');
  });

  it('accepts a leaf without extKeyUsage and one with keyEncipherment', async () => {
    const noEku = await chain.issueLeaf({ extKeyUsage: null });
    const rsa = await chain.issueLeaf({
      keyType: 'RSA-2048',
      keyUsage: ['digitalSignature', 'keyEncipherment'],
    });

    expect(codeOf({ chain: noEku.chain, bundle: chain.bundle, atMs: NOW_MS })).toBe('accepted');
    expect(codeOf({ chain: rsa.chain, bundle: chain.bundle, atMs: NOW_MS })).toBe('accepted');
  });

  it('accepts at the exact notBefore and notAfter instants', () => {
    const at = (atMs: number) => codeOf({ chain: chain.chain, bundle: chain.bundle, atMs });

    expect(at(NOW_MS - 60_000)).toBe('accepted');
    expect(at(NOW_MS + HOUR_MS)).toBe('accepted');
  });

  it('defaults the verification time to now', async () => {
    const current = await buildTestChain();

    expect(verifyX509Svid({ chain: current.chain, bundle: current.bundle }).path).toHaveLength(3);
  });

  it('names the leaf SPIFFE ID on errors found after reading it', () => {
    let error: SvidError | undefined;
    try {
      verifyX509Svid({ chain: chain.chain, bundle: chain.bundle, atMs: NOW_MS + 2 * HOUR_MS });
    } catch (err) {
      error = err as SvidError;
    }

    expect(error?.code).toBe('svid_expired');
    expect(error?.spiffeId).toBe('spiffe://zen.mesh/zen-agent/test');
    expect(error?.message).toBe('x509-svid rejected: leaf expired');
  });
});

describe('verifyX509Svid refusals', () => {
  let base: TestChain;

  beforeAll(async () => {
    base = await buildTestChain({ nowMs: NOW_MS });
  });

  type Case = [string, () => Promise<VerifyX509SvidParams>, SvidErrorCode];
  const leafCase = (options: Parameters<TestChain['issueLeaf']>[0]) => async () => {
    const leaf = await base.issueLeaf(options);
    return { chain: leaf.chain, bundle: base.bundle, atMs: NOW_MS };
  };
  const chainCase =
    (options: Parameters<typeof buildTestChain>[0], atMs = NOW_MS) =>
    async () => {
      const built = await buildTestChain({ nowMs: NOW_MS, ...options });
      return { chain: built.chain, bundle: built.bundle, atMs };
    };

  it.each<Case>([
    ['an empty chain', async () => ({ chain: [], bundle: base.bundle }), 'svid_malformed'],
    [
      'bytes that are not a certificate',
      async () => ({ chain: [Buffer.from('30030201ff', 'hex')], bundle: base.bundle }),
      'svid_malformed',
    ],
    [
      'a truncated leaf',
      async () => ({ chain: [base.leaf.subarray(0, 100)], bundle: base.bundle }),
      'svid_malformed',
    ],
    [
      'an empty bundle',
      async () => ({
        chain: base.chain,
        bundle: { trustDomain: 'zen.mesh', roots: [], sequence: 0 },
        atMs: NOW_MS,
      }),
      'svid_bundle_empty',
    ],
    [
      'a leaf without URI SAN',
      leafCase({ uriSans: [], dnsSans: ['a.example'] }),
      'svid_no_uri_san',
    ],
    [
      'a leaf with two URI SANs',
      leafCase({ uriSans: ['spiffe://zen.mesh/a', 'spiffe://zen.mesh/b'] }),
      'svid_multiple_uri_sans',
    ],
    [
      'a leaf with a SPIFFE and a web URI SAN',
      leafCase({ uriSans: ['spiffe://zen.mesh/a', 'https://zen.mesh/a'] }),
      'svid_multiple_uri_sans',
    ],
    [
      'a leaf whose URI SAN is not a SPIFFE ID',
      leafCase({ uriSans: ['https://zen.mesh/a'] }),
      'svid_invalid_spiffe_id',
    ],
    [
      'a leaf whose SPIFFE ID has an uppercase trust domain',
      leafCase({ uriSans: ['spiffe://ZEN.mesh/a'] }),
      'svid_invalid_spiffe_id',
    ],
    [
      'a leaf with the root SPIFFE ID',
      leafCase({ uriSans: ['spiffe://zen.mesh'] }),
      'svid_leaf_no_path',
    ],
    ['a leaf with CA true', leafCase({ ca: true }), 'svid_leaf_is_ca'],
    [
      'a CA leaf that also has keyCertSign',
      leafCase({ ca: true, keyUsage: ['digitalSignature', 'keyCertSign'] }),
      'svid_leaf_is_ca',
    ],
    [
      'a leaf with keyCertSign',
      leafCase({ keyUsage: ['digitalSignature', 'keyCertSign'] }),
      'svid_leaf_key_cert_sign',
    ],
    [
      'a leaf with cRLSign',
      leafCase({ keyUsage: ['digitalSignature', 'cRLSign'] }),
      'svid_leaf_crl_sign',
    ],
    [
      'a leaf without digitalSignature',
      leafCase({ keyUsage: ['keyEncipherment'] }),
      'svid_leaf_no_digital_signature',
    ],
    ['a leaf without keyUsage', leafCase({ keyUsage: null }), 'svid_leaf_no_digital_signature'],
    [
      'a leaf whose keyUsage is not critical',
      leafCase({ keyUsageCritical: false }),
      'svid_leaf_key_usage_not_critical',
    ],
    [
      'a leaf whose extKeyUsage lacks clientAuth',
      leafCase({ extKeyUsage: ['1.3.6.1.5.5.7.3.1'] }),
      'svid_leaf_ext_key_usage',
    ],
    [
      'a leaf with an unknown critical extension',
      leafCase({ criticalExtensionOid: '1.3.6.1.4.1.99999.1' }),
      'svid_unknown_critical_extension',
    ],
    ['an expired leaf', leafCase({ notAfterMs: NOW_MS - 1000 }), 'svid_expired'],
    ['a not-yet-valid leaf', leafCase({ notBeforeMs: NOW_MS + 1000 }), 'svid_not_yet_valid'],
    [
      'a leaf of another trust domain',
      leafCase({ uriSans: ['spiffe://other.mesh/zen-agent/test'] }),
      'svid_trust_domain_mismatch',
    ],
    [
      'a chain of another trust domain',
      async () => {
        const other = await buildTestChain({ nowMs: NOW_MS, trustDomain: 'other.mesh' });
        return { chain: other.chain, bundle: base.bundle, atMs: NOW_MS };
      },
      'svid_trust_domain_mismatch',
    ],
    [
      'a chain from an untrusted root',
      async () => {
        const other = await buildTestChain({ nowMs: NOW_MS });
        return { chain: other.chain, bundle: base.bundle, atMs: NOW_MS };
      },
      'svid_untrusted',
    ],
    [
      'a chain missing its intermediate',
      async () => ({ chain: [base.leaf], bundle: base.bundle, atMs: NOW_MS }),
      'svid_untrusted',
    ],
    [
      'a leaf with a bad signature',
      async () => ({
        chain: [corruptSignature(base.leaf), ...base.intermediates],
        bundle: base.bundle,
        atMs: NOW_MS,
      }),
      'svid_signature_invalid',
    ],
    [
      'an intermediate with a bad signature',
      async () => ({
        chain: [base.leaf, corruptSignature(base.intermediates[0])],
        bundle: base.bundle,
        atMs: NOW_MS,
      }),
      'svid_signature_invalid',
    ],
    [
      'an intermediate without CA true',
      chainCase({ intermediate: { ca: false } }),
      'svid_signing_cert_not_ca',
    ],
    [
      'an intermediate without basicConstraints',
      chainCase({ intermediate: { ca: null } }),
      'svid_signing_cert_not_ca',
    ],
    [
      'an intermediate CA without keyCertSign',
      chainCase({ intermediate: { keyUsage: ['cRLSign', 'digitalSignature'] } }),
      'svid_signing_cert_no_key_cert_sign',
    ],
    [
      'an intermediate CA without keyUsage',
      chainCase({ intermediate: { keyUsage: null } }),
      'svid_signing_cert_no_key_cert_sign',
    ],
    [
      'an intermediate CA with a path in its SPIFFE ID',
      chainCase({ intermediate: { uriSans: ['spiffe://zen.mesh/ca/intermediate'] } }),
      'svid_signing_cert_has_path',
    ],
    [
      'an intermediate CA with a malformed SPIFFE ID',
      chainCase({ intermediate: { uriSans: ['spiffe://zen.mesh/ca/'] } }),
      'svid_signing_cert_invalid_spiffe_id',
    ],
    [
      'a root CA without keyCertSign',
      chainCase({ root: { keyUsage: ['cRLSign'] }, intermediates: 0 }),
      'svid_signing_cert_no_key_cert_sign',
    ],
    [
      'a root with a path in its SPIFFE ID',
      chainCase({ root: { uriSans: ['spiffe://zen.mesh/root'] } }),
      'svid_signing_cert_has_path',
    ],
    [
      'an intermediate with an unknown critical extension',
      chainCase({ intermediate: { criticalExtensionOid: '1.3.6.1.4.1.99999.2' } }),
      'svid_unknown_critical_extension',
    ],
    [
      'a path longer than the root allows',
      chainCase({ root: { pathLength: 0 } }),
      'svid_path_length_exceeded',
    ],
    [
      'an expired intermediate',
      chainCase({ intermediate: { notAfterMs: NOW_MS - 1000 } }),
      'svid_expired',
    ],
    [
      'a not-yet-valid intermediate',
      chainCase({ intermediate: { notBeforeMs: NOW_MS + 1000 } }),
      'svid_not_yet_valid',
    ],
    ['an expired root', chainCase({ root: { notAfterMs: NOW_MS - 1000 } }), 'svid_expired'],
    ['a leaf past its notAfter', chainCase({}, NOW_MS + HOUR_MS + 1), 'svid_expired'],
    ['a leaf before its notBefore', chainCase({}, NOW_MS - 60_001), 'svid_not_yet_valid'],
  ])('refuses %s', async (_name, makeParams, code) => {
    const params = await makeParams();

    const result = codeOf(params);

    expect(result).toBe(code);
  });

  it('accepts a root pathLength of 1 above one intermediate', async () => {
    const params = await chainCase({ root: { pathLength: 1 } })();

    expect(codeOf(params)).toBe('accepted');
  });
});

describe('verifyX509Svid with OpenSSL-made certificates', () => {
  const AT_MS = Date.UTC(2030, 0, 1);
  const load = (name: string) =>
    parsePemCertificates(readFileSync(join(__dirname, 'fixtures', name), 'utf8'))[0];
  const bundle = () =>
    createTrustBundle({ trustDomain: 'fixture.test', roots: [load('openssl-root.pem')] });

  it('accepts a chain OpenSSL verifies with -x509_strict', () => {
    const chain = [load('openssl-leaf.pem'), load('openssl-intermediate.pem')];

    const result = verifyX509Svid({ chain, bundle: bundle(), atMs: AT_MS });

    expect(result.spiffeId.uri).toBe('spiffe://fixture.test/svc/a');
    expect(result.serial).toBe('0c');
  });

  it('refuses an intermediate with CA true but no keyCertSign', () => {
    const chain = [
      load('openssl-leaf-under-no-key-cert-sign.pem'),
      load('openssl-intermediate-no-key-cert-sign.pem'),
    ];

    const result = codeOf({ chain, bundle: bundle(), atMs: AT_MS });

    expect(result).toBe('svid_signing_cert_no_key_cert_sign');
  });
});

describe('verifyX509Svid on damaged input', () => {
  it('throws nothing but SvidError when any byte of the leaf changes', async () => {
    const chain = await buildTestChain({ nowMs: NOW_MS });
    const position = fc.integer({ min: 0, max: chain.leaf.length - 1 });
    const value = fc.integer({ min: 0, max: 255 });

    fc.assert(
      fc.property(position, value, (index, byte) => {
        const leaf = Buffer.from(chain.leaf);
        leaf[index] = byte;
        try {
          const result = verifyX509Svid({
            chain: [leaf, ...chain.intermediates],
            bundle: chain.bundle,
            atMs: NOW_MS,
          });
          expect(result.leaf.equals(chain.leaf)).toBe(true);
        } catch (err) {
          expect(err).toBeInstanceOf(SvidError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
