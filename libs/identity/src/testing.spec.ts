import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';

import { parsePemCertificates } from './lib/certificate-encoding';
import { readSvidProfile } from './lib/certificate-profile';
import { buildTestChain, corruptSignature } from './testing';

describe('buildTestChain', () => {
  it('returns a leaf key PEM that matches the leaf certificate', async () => {
    const chain = await buildTestChain();

    const fromKey = createPublicKey(createPrivateKey(chain.leafKeyPem));
    const fromCert = new X509Certificate(chain.leaf).publicKey;

    expect(fromKey.export({ type: 'spki', format: 'der' })).toEqual(
      fromCert.export({ type: 'spki', format: 'der' }),
    );
  });

  it('returns PEM forms of the chain and the bundle', async () => {
    const chain = await buildTestChain({ intermediates: 2 });

    expect(parsePemCertificates(chain.chainPem)).toEqual(chain.chain);
    expect(parsePemCertificates(chain.bundlePem)).toEqual([chain.root]);
    expect(chain.chain).toEqual([chain.leaf, ...chain.intermediates]);
  });

  it('makes leaves with the X509-SVID profile by default', async () => {
    const chain = await buildTestChain({ spiffeId: 'spiffe://zen.mesh/ingester/a' });

    const profile = readSvidProfile(chain.leaf);

    expect(profile.spiffeId).toBe('spiffe://zen.mesh/ingester/a');
    expect(profile.isCa).toBe(false);
    expect(profile.keyUsage?.digitalSignature).toBe(true);
    expect(profile.keyUsageCritical).toBe(true);
    expect(profile.criticalExtensions).toContain('2.5.29.17');
  });

  it('corrupts only the signature', async () => {
    const chain = await buildTestChain({ intermediates: 0 });
    const issuerKey = new X509Certificate(chain.root).publicKey;

    const corrupted = new X509Certificate(corruptSignature(chain.leaf));

    expect(new X509Certificate(chain.leaf).verify(issuerKey)).toBe(true);
    expect(corrupted.verify(issuerKey)).toBe(false);
  });
});
