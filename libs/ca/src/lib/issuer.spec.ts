import { X509Certificate } from 'node:crypto';

import { makeTestCa, type TestCa } from '../testing';
import { generateKeyAndCsr } from './key-and-csr';
import { readBack, USAGE } from './spec-support';
import { parsePemCertificates } from '@zen/identity';

const NOW = 1_800_000_000;
const ID = 'spiffe://zen.mesh/zen-agent/node-1';

describe('CertificateIssuer', () => {
  let ca: TestCa;
  let p256: Buffer;

  beforeAll(async () => {
    ca = await makeTestCa('zen.mesh', { nowSeconds: NOW, ttlSeconds: 10 * 24 * 3600 });
    p256 = generateKeyAndCsr().publicKeySpki;
  });

  const issue = (overrides: Partial<Parameters<TestCa['issuer']['issueSvid']>[0]> = {}) =>
    ca.issuer.issueSvid({
      publicKeySpki: p256,
      spiffeId: ID,
      ttlSeconds: 3600,
      nowSeconds: NOW,
      ...overrides,
    });

  it('issues a leaf with exactly one URI SAN, critical because the subject is empty', async () => {
    const svid = await issue();

    const profile = readBack(svid.leafDer);
    expect(profile.subject).toBe('');
    expect(profile.altNames).toEqual({ critical: true, uris: [ID], dnsNames: [], ips: [] });
  });

  it('marks the leaf CA:false and digitalSignature, both critical, for TLS', async () => {
    const profile = readBack((await issue()).leafDer);

    expect(profile.basicConstraints).toEqual({ critical: true, ca: false, pathLength: undefined });
    expect(profile.keyUsage).toEqual({ critical: true, usages: USAGE.digitalSignature });
    expect(profile.extendedKeyUsages).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
  });

  it('adds keyEncipherment for an RSA key', async () => {
    const rsa = generateKeyAndCsr({ keyType: 'RSA-2048' }).publicKeySpki;

    const profile = readBack((await issue({ publicKeySpki: rsa })).leafDer);

    expect(profile.keyUsage?.usages).toBe(USAGE.digitalSignature | USAGE.keyEncipherment);
  });

  it('backdates notBefore by 60 s and sets notAfter to now plus the TTL', async () => {
    const svid = await issue({ nowSeconds: NOW + 7200, ttlSeconds: 1800 });

    expect(svid.notBefore).toBe(NOW + 7200 - 60);
    expect(svid.notAfter).toBe(NOW + 7200 + 1800);
    expect(readBack(svid.leafDer).notBefore).toBe(svid.notBefore);
    expect(readBack(svid.leafDer).notAfter).toBe(svid.notAfter);
  });

  it('caps the SVID notAfter at the issuing CA notAfter', async () => {
    const svid = await issue({ nowSeconds: ca.notAfter - 100, ttlSeconds: 3600 });

    expect(svid.notAfter).toBe(ca.notAfter);
    expect(readBack(svid.leafDer).notAfter).toBe(ca.notAfter);
  });

  it('refuses to issue once the issuing CA has expired', async () => {
    await expect(issue({ nowSeconds: ca.notAfter })).rejects.toMatchObject({
      code: 'issue_ca_expired',
    });
  });

  it('links the leaf to the intermediate by key identifiers and signature', async () => {
    const svid = await issue();

    expect(readBack(svid.leafDer).authorityKeyId).toBe(readBack(ca.intermediateDer).subjectKeyId);
    expect(readBack(svid.leafDer).subjectKeyId).toMatch(/^[0-9a-f]{40}$/);
    const intermediate = new X509Certificate(ca.intermediateDer);
    expect(new X509Certificate(svid.leafDer).verify(intermediate.publicKey)).toBe(true);
  });

  it('draws a fresh positive serial of at least 64 bits for every SVID', async () => {
    const serials = await Promise.all([1, 2, 3, 4].map(async () => (await issue()).serial));

    expect(new Set(serials).size).toBe(4);
    for (const serial of serials) {
      expect(serial).toMatch(/^[4-7][0-9a-f]{31}$/);
    }
    expect(readBack((await issue()).leafDer).serial).toMatch(/^[4-7][0-9a-f]{31}$/);
  });

  it('reports serial, hashes and a chain of leaf then intermediate', async () => {
    const svid = await issue();

    const chain = parsePemCertificates(svid.chainPem);
    expect(chain).toHaveLength(2);
    expect(chain[0].equals(svid.leafDer)).toBe(true);
    expect(chain[1].equals(ca.intermediateDer)).toBe(true);
    expect(svid.serial).toBe(readBack(svid.leafDer).serial);
    expect(svid.certSha256).toBe(
      new X509Certificate(svid.leafDer).fingerprint256.replace(/:/g, '').toLowerCase(),
    );
    expect(svid.publicKeySha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('adds DNS and IP SANs for servers after the SPIFFE ID', async () => {
    const svid = await issue({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1', '::1'] });

    expect(readBack(svid.leafDer).altNames).toEqual({
      critical: true,
      uris: [ID],
      dnsNames: ['localhost'],
      ips: ['127.0.0.1', '::1'],
    });
  });

  it.each([
    ['a SPIFFE ID of another trust domain', { spiffeId: 'spiffe://other.mesh/zen-agent/a' }],
    ['the trust domain ID itself', { spiffeId: 'spiffe://zen.mesh' }],
    ['a malformed SPIFFE ID', { spiffeId: 'https://zen.mesh/a' }],
    ['a zero TTL', { ttlSeconds: 0 }],
    ['a fractional TTL', { ttlSeconds: 1.5 }],
    ['a malformed DNS name', { dnsNames: ['bad name'] }],
    ['a malformed IP address', { ipAddresses: ['300.1.1.1'] }],
    ['a public key that is not SPKI', { publicKeySpki: Buffer.from('3003020101', 'hex') }],
    [
      'an RSA 1024 key',
      { publicKeySpki: generateKeyAndCsr({ keyType: 'RSA-1024' }).publicKeySpki },
    ],
    ['an Ed25519 key', { publicKeySpki: generateKeyAndCsr({ keyType: 'Ed25519' }).publicKeySpki }],
  ])('refuses %s', async (_label, overrides) => {
    await expect(issue(overrides)).rejects.toMatchObject({ code: 'issue_request_invalid' });
  });
});
