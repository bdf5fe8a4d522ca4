import { X509Certificate } from 'node:crypto';

import { createCaGeneration } from './ca-generation';
import { MemorySignerFactory } from './signer/memory-signer';
import { readBack, USAGE } from './spec-support';

const NOW = 1_800_000_000;
const TTL = 30 * 24 * 3600;

describe('createCaGeneration', () => {
  let root: Buffer;
  let intermediate: Buffer;

  beforeAll(async () => {
    const signers = new MemorySignerFactory();
    const generation = await createCaGeneration({
      trustDomain: 'zen.mesh',
      generationId: 'g1',
      nowSeconds: NOW,
      ttlSeconds: TTL,
      rootSigner: await signers.create('root'),
      intermediateSigner: await signers.create('intermediate'),
    });
    root = generation.rootDer;
    intermediate = generation.intermediateDer;
  });

  it('makes a self-signed root that is a critical CA with keyCertSign and cRLSign', () => {
    const profile = readBack(root);

    expect(profile.subject).toBe(profile.issuer);
    expect(profile.basicConstraints).toEqual({ critical: true, ca: true, pathLength: undefined });
    expect(profile.keyUsage).toEqual({ critical: true, usages: USAGE.keyCertSign | USAGE.cRLSign });
    expect(new X509Certificate(root).verify(new X509Certificate(root).publicKey)).toBe(true);
  });

  it('names the trust domain without a path in the signing certificates', () => {
    expect(readBack(root).altNames?.uris).toEqual(['spiffe://zen.mesh']);
    expect(readBack(intermediate).altNames?.uris).toEqual(['spiffe://zen.mesh']);
  });

  it('makes an intermediate signed by the root with pathLen 0 and key identifiers', () => {
    const profile = readBack(intermediate);

    expect(profile.basicConstraints).toEqual({ critical: true, ca: true, pathLength: 0 });
    expect(profile.keyUsage).toEqual({ critical: true, usages: USAGE.keyCertSign | USAGE.cRLSign });
    expect(profile.authorityKeyId).toBe(readBack(root).subjectKeyId);
    expect(profile.subjectKeyId).toMatch(/^[0-9a-f]{40}$/);
    expect(profile.issuer).toBe(readBack(root).subject);
    expect(new X509Certificate(intermediate).verify(new X509Certificate(root).publicKey)).toBe(
      true,
    );
  });

  it('backdates both certificates by 60 s and gives them the requested lifetime', () => {
    for (const der of [root, intermediate]) {
      expect(readBack(der).notBefore).toBe(NOW - 60);
      expect(readBack(der).notAfter).toBe(NOW + TTL);
    }
  });

  it('gives each generation its own subject names', async () => {
    const signers = new MemorySignerFactory();
    const other = await createCaGeneration({
      trustDomain: 'zen.mesh',
      generationId: 'g2',
      nowSeconds: NOW,
      ttlSeconds: TTL,
      rootSigner: await signers.create('root'),
      intermediateSigner: await signers.create('intermediate'),
    });

    expect(readBack(other.rootDer).subject).not.toBe(readBack(root).subject);
    expect(readBack(other.intermediateDer).subject).not.toBe(readBack(intermediate).subject);
  });
});
