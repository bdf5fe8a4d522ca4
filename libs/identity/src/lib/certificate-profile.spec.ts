import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { buildTestChain } from '../testing';
import { parsePemCertificates } from './certificate-encoding';
import { readSvidProfile } from './certificate-profile';
import { SvidError } from './errors';

function fixture(name: string): Buffer {
  return parsePemCertificates(readFileSync(join(__dirname, 'fixtures', name), 'utf8'))[0];
}

describe('readSvidProfile', () => {
  it('reads an OpenSSL-made RSA leaf field by field', () => {
    const der = fixture('openssl-leaf-under-no-key-cert-sign.pem');

    const profile = readSvidProfile(der);

    expect(profile).toEqual({
      spiffeId: 'spiffe://fixture.test/svc/a',
      uriSans: ['spiffe://fixture.test/svc/a'],
      dnsSans: ['localhost'],
      ipSans: ['127.0.0.1', '::1'],
      serial: 'ff00112233445566',
      sha256: 'b1c1ba64f737a0db23fe64fc800990b1bfad30c93eeabe52f301bbd0f9a7081e',
      notBeforeMs: 1796320283000,
      notAfterMs: 4949920283000,
      isCa: false,
      pathLenConstraint: null,
      basicConstraintsCritical: true,
      keyUsage: {
        digitalSignature: true,
        contentCommitment: false,
        keyEncipherment: true,
        dataEncipherment: false,
        keyAgreement: false,
        keyCertSign: false,
        cRLSign: false,
        encipherOnly: false,
        decipherOnly: false,
      },
      keyUsageCritical: true,
      extKeyUsage: ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'],
      publicKeyType: 'RSA 2048',
      subject: 'CN=svc-a',
      issuer: 'CN=fixture intermediate without keyCertSign',
      subjectKeyId: '00de3b6a878ae2601ec1c7f406d2e5e58c1e3114',
      authorityKeyId: '96efb81a91e14f2d91f8352681f677347a14bd64',
      criticalExtensions: ['2.5.29.19', '2.5.29.15'],
    });
  });

  it('matches the serial Node reports, in lowercase', () => {
    const der = fixture('openssl-leaf-under-no-key-cert-sign.pem');

    expect(readSvidProfile(der).serial).toBe(new X509Certificate(der).serialNumber.toLowerCase());
  });

  it('reads CA true from the DER where Node reports false for a CA without keyCertSign', () => {
    const der = fixture('openssl-intermediate-no-key-cert-sign.pem');

    const profile = readSvidProfile(der);

    expect(new X509Certificate(der).ca).toBe(false);
    expect(profile.isCa).toBe(true);
    expect(profile.keyUsage?.keyCertSign).toBe(false);
    expect(profile.keyUsage?.digitalSignature).toBe(true);
    expect(profile.serial).toBe('0a');
  });

  it('writes names in RFC 4514 order and reads the root SPIFFE ID and key identifiers', () => {
    const profile = readSvidProfile(fixture('openssl-root.pem'));

    expect(profile.subject).toBe('CN=fixture root,O=Zen Fixture');
    expect(profile.issuer).toBe(profile.subject);
    expect(profile.spiffeId).toBe('spiffe://fixture.test');
    expect(profile.subjectKeyId).toBe('ae934a8a94793a021be7305b723c043127920cc9');
    expect(profile.publicKeyType).toBe('EC P-256');
  });

  it('reads a pathLenConstraint of zero', () => {
    expect(readSvidProfile(fixture('openssl-intermediate.pem')).pathLenConstraint).toBe(0);
  });

  it('reports no SPIFFE ID for two URI SANs or a URI that is not one', async () => {
    const chain = await buildTestChain({ intermediates: 0 });
    const two = await chain.issueLeaf({ uriSans: ['spiffe://zen.mesh/a', 'spiffe://zen.mesh/b'] });
    const web = await chain.issueLeaf({ uriSans: ['https://zen.mesh/a'] });

    expect(readSvidProfile(two.leaf).spiffeId).toBeNull();
    expect(readSvidProfile(two.leaf).uriSans).toHaveLength(2);
    expect(readSvidProfile(web.leaf).spiffeId).toBeNull();
  });

  it.each([
    ['P-384', 'EC P-384'],
    ['RSA-2048', 'RSA 2048'],
  ] as const)('names a %s key as %s', async (keyType, expected) => {
    const chain = await buildTestChain({ intermediates: 0 });
    const leaf = await chain.issueLeaf({ keyType });

    expect(readSvidProfile(leaf.leaf).publicKeyType).toBe(expected);
  });

  it('reports an absent keyUsage as null and an empty subject as an empty string', async () => {
    const chain = await buildTestChain({ intermediates: 0 });
    const leaf = await chain.issueLeaf({ keyUsage: null });

    const profile = readSvidProfile(leaf.leaf);

    expect(profile.keyUsage).toBeNull();
    expect(profile.keyUsageCritical).toBe(false);
    expect(profile.subject).toBe('');
  });

  it.each([
    ['an empty buffer', Buffer.alloc(0)],
    ['a sequence that is not a certificate', Buffer.from('3003020101', 'hex')],
    [
      'trailing bytes after the certificate',
      Buffer.concat([fixture('openssl-root.pem'), Buffer.of(0)]),
    ],
  ])('refuses %s as svid_malformed', (_name, der) => {
    const action = () => readSvidProfile(der);

    expect(action).toThrow(SvidError);
    expect(action).toThrow(expect.objectContaining({ code: 'svid_malformed' }));
  });
});
