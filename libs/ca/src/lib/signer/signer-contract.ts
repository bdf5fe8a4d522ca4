import { createPublicKey, verify } from 'node:crypto';

import type { SignerFactory } from './signer';

const HASHES = { ES256: 'sha256', ES384: 'sha384' } as const;

/**
 * The jest suite every Signer plugin passes: sign then verify with the public key through
 * node:crypto, DER signatures, create/load round trip, unknown names, unsafe names.
 */
export function describeSignerContract(
  name: string,
  factory: () => SignerFactory | Promise<SignerFactory>,
): void {
  describe(`Signer contract: ${name}`, () => {
    let signers: SignerFactory;
    let counter = 0;
    const freshName = () => `contract/k${Date.now().toString(36)}-${(counter += 1)}`;

    beforeEach(async () => {
      signers = await factory();
    });

    it('makes a signature that verifies with its public key', async () => {
      const signer = await signers.create(freshName());
      const data = Buffer.from('zen signer contract');

      const signature = await signer.sign(data);

      const key = createPublicKey({ key: signer.publicKeySpki(), format: 'der', type: 'spki' });
      expect(key.asymmetricKeyType).toBe('ec');
      expect(verify(HASHES[signer.algorithm], data, { key, dsaEncoding: 'der' }, signature)).toBe(
        true,
      );
      expect(
        verify(
          HASHES[signer.algorithm],
          Buffer.from('other'),
          { key, dsaEncoding: 'der' },
          signature,
        ),
      ).toBe(false);
    });

    it('encodes signatures as a DER ECDSA-Sig-Value sequence', async () => {
      const signer = await signers.create(freshName());

      const signature = await signer.sign(Buffer.from('der'));

      expect(signature[0]).toBe(0x30);
      expect(signature[1]).toBe(signature.length - 2);
      expect(signature[2]).toBe(0x02);
    });

    it('loads a created key with the same public key and signing power', async () => {
      const keyName = freshName();
      const created = await signers.create(keyName);

      const loaded = await signers.load(keyName);

      expect(loaded).not.toBeNull();
      expect(loaded?.algorithm).toBe(created.algorithm);
      expect(loaded?.publicKeySpki().equals(created.publicKeySpki())).toBe(true);
      const data = Buffer.from('round trip');
      const signature = await (loaded as NonNullable<typeof loaded>).sign(data);
      const key = createPublicKey({ key: created.publicKeySpki(), format: 'der', type: 'spki' });
      expect(verify(HASHES[created.algorithm], data, { key, dsaEncoding: 'der' }, signature)).toBe(
        true,
      );
    });

    it('returns null when loading a name that was never created', async () => {
      await expect(signers.load(freshName())).resolves.toBeNull();
    });

    it('refuses to create a name twice', async () => {
      const keyName = freshName();
      await signers.create(keyName);

      await expect(signers.create(keyName)).rejects.toMatchObject({ code: 'signer_key_exists' });
    });

    it.each([
      ['a parent reference', '../escape'],
      ['an inner parent reference', 'ca/../../escape'],
      ['an absolute path', '/etc/passwd'],
      ['a hidden segment', 'ca/.hidden'],
      ['an empty segment', 'ca//root'],
      ['a backslash', 'ca\\root'],
      ['an empty name', ''],
    ])('refuses %s in a key name', async (_label, keyName) => {
      await expect(signers.create(keyName)).rejects.toMatchObject({ code: 'signer_name_invalid' });
      await expect(signers.load(keyName)).rejects.toMatchObject({ code: 'signer_name_invalid' });
    });
  });
}
