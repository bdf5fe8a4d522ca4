import { MemorySignerFactory } from './memory-signer';
import { describeSignerContract } from './signer-contract';

describeSignerContract('memory (P-256)', () => new MemorySignerFactory());
describeSignerContract('memory (P-384)', () => new MemorySignerFactory({ algorithm: 'ES384' }));

describe('MemorySignerFactory', () => {
  it('makes P-256 keys by default and P-384 keys on request', async () => {
    const p256 = await new MemorySignerFactory().create('a');
    const p384 = await new MemorySignerFactory({ algorithm: 'ES384' }).create('a');

    expect(p256.algorithm).toBe('ES256');
    expect(p384.algorithm).toBe('ES384');
  });

  it('keeps keys apart between factories', async () => {
    const first = new MemorySignerFactory();
    await first.create('ca/g1/root');

    await expect(new MemorySignerFactory().load('ca/g1/root')).resolves.toBeNull();
  });
});
