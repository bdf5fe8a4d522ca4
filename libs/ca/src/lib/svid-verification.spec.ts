import { parsePemCertificates, verifyX509Svid } from '@zen/identity';

import { makeTestCa, type TestCa } from '../testing';
import { CaManager } from './ca-manager';
import { MemoryCaStateRepository } from './ca-state-repository';
import { generateKeyAndCsr, type GeneratedKeyType } from './key-and-csr';
import { MemorySignerFactory } from './signer/memory-signer';

// The issued chains must pass the workspace's own SPIFFE X509-SVID verifier, which is stricter
// than OpenSSL on the rules the standard adds.
const ID = 'spiffe://zen.mesh/ingester/main';

describe('issued SVIDs against @zen/identity verifyX509Svid', () => {
  let ca: TestCa;

  beforeAll(async () => {
    ca = await makeTestCa('zen.mesh');
  });

  it.each<[GeneratedKeyType]>([['P-256'], ['P-384'], ['RSA-2048']])(
    'verifies a %s SVID and reports its identity, serial and expiry',
    async (keyType) => {
      const svid = await ca.issueSvidWithKey({ spiffeId: ID, keyType });

      const verified = verifyX509Svid({
        chain: parsePemCertificates(svid.chainPem),
        bundle: ca.bundle,
      });

      expect(verified.spiffeId.uri).toBe(ID);
      expect(verified.serial).toBe(svid.serial);
      expect(verified.notAfterMs).toBe(svid.notAfter * 1000);
      expect(verified.path).toHaveLength(3);
    },
  );

  it('verifies a server SVID with DNS and IP SANs', async () => {
    const svid = await ca.issueSvidWithKey({
      spiffeId: 'spiffe://zen.mesh/control-plane/main',
      dnsNames: ['localhost'],
      ipAddresses: ['127.0.0.1'],
    });

    const verified = verifyX509Svid({
      chain: parsePemCertificates(svid.chainPem),
      bundle: ca.bundle,
    });

    expect(verified.spiffeId.uri).toBe('spiffe://zen.mesh/control-plane/main');
  });

  it('refuses an SVID of another CA of the same trust domain', async () => {
    const stranger = await makeTestCa('zen.mesh');
    const svid = await stranger.issueSvidWithKey({ spiffeId: ID });

    expect(() =>
      verifyX509Svid({ chain: parsePemCertificates(svid.chainPem), bundle: ca.bundle }),
    ).toThrow(expect.objectContaining({ code: 'svid_untrusted' }));
  });

  it('keeps SVIDs of the previous generation verifiable after a rotation', async () => {
    const nowSeconds = Math.floor(Date.now() / 1000);
    const manager = new CaManager({
      trustDomain: 'zen.mesh',
      caTtlSeconds: 24 * 3600,
      signers: new MemorySignerFactory(),
      repo: new MemoryCaStateRepository(),
      clock: () => nowSeconds,
    });
    await manager.init();
    const issue = () =>
      manager.issuer().issueSvid({
        publicKeySpki: generateKeyAndCsr().publicKeySpki,
        spiffeId: ID,
        ttlSeconds: 3600,
        nowSeconds,
      });
    const before = await issue();

    await manager.rotate();
    const after = await issue();

    for (const svid of [before, after]) {
      const verified = verifyX509Svid({
        chain: parsePemCertificates(svid.chainPem),
        bundle: manager.bundle(),
      });
      expect(verified.serial).toBe(svid.serial);
    }
    expect(parsePemCertificates(before.chainPem)[1]).not.toEqual(
      parsePemCertificates(after.chainPem)[1],
    );
  });
});
