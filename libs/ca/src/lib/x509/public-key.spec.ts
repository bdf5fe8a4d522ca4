import { generateKeyPairSync, verify, sign } from 'node:crypto';

import { inspectPublicKey, isAllowedKeyType, loadPublicKey } from './public-key';

const spkiOf = (key: { export(o: object): Buffer | string }) =>
  key.export({ format: 'der', type: 'spki' }) as Buffer;

describe('inspectPublicKey', () => {
  it.each([
    ['P-256', () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' }), 'P-256'],
    ['P-384', () => generateKeyPairSync('ec', { namedCurve: 'secp384r1' }), 'P-384'],
    ['P-521', () => generateKeyPairSync('ec', { namedCurve: 'secp521r1' }), 'other-ec-secp521r1'],
    ['RSA 2048', () => generateKeyPairSync('rsa', { modulusLength: 2048 }), 'RSA-2048'],
    ['RSA 3072', () => generateKeyPairSync('rsa', { modulusLength: 3072 }), 'RSA-3072'],
    ['Ed25519', () => generateKeyPairSync('ed25519'), 'other-ed25519'],
    ['RSA-PSS', () => generateKeyPairSync('rsa-pss', { modulusLength: 2048 }), 'other-rsa-pss'],
  ])('names a %s key', (_label, make, expected) => {
    const info = inspectPublicKey(spkiOf(make().publicKey));

    expect(info.keyType).toBe(expected);
    expect(info.keyIdentifier).toHaveLength(20);
  });

  it('reads a compressed P-256 point as P-256', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const jwk = publicKey.export({ format: 'jwk' });
    const y = Buffer.from(jwk.y as string, 'base64url');
    const point = Buffer.concat([
      Buffer.from([2 + (y[31] & 1)]),
      Buffer.from(jwk.x as string, 'base64url'),
    ]);
    const spki = Buffer.concat([
      Buffer.from('3039301306072a8648ce3d020106082a8648ce3d030107032200', 'hex'),
      point,
    ]);

    expect(inspectPublicKey(spki).keyType).toBe('P-256');
  });

  it.each([
    ['an empty buffer', Buffer.alloc(0)],
    [
      'trailing bytes',
      Buffer.concat([spkiOf(generateKeyPairSync('ed25519').publicKey), Buffer.from([0])]),
    ],
    [
      'a truncated P-256 point',
      spkiOf(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey).subarray(0, 60),
    ],
  ])('throws on %s', (_label, spki) => {
    expect(() => inspectPublicKey(spki)).toThrow();
  });

  it('accepts only P-256, P-384 and RSA of 2048 bits or more', () => {
    expect(
      ['P-256', 'P-384', 'RSA-2048', 'RSA-4096'].every((t) => isAllowedKeyType(t as never)),
    ).toBe(true);
    expect(
      ['RSA-1024', 'RSA-2047', 'other-ed25519', 'other-ec-secp521r1'].some((t) =>
        isAllowedKeyType(t as never),
      ),
    ).toBe(false);
  });
});

describe('loadPublicKey', () => {
  it.each([
    ['P-256', generateKeyPairSync('ec', { namedCurve: 'prime256v1' }), 'sha256'],
    ['P-384', generateKeyPairSync('ec', { namedCurve: 'secp384r1' }), 'sha384'],
    ['RSA 2048', generateKeyPairSync('rsa', { modulusLength: 2048 }), 'sha256'],
  ])('loads a %s key that verifies its own signatures', (_label, pair, hash) => {
    const spki = spkiOf(pair.publicKey);
    const data = Buffer.from('zen');
    const signature = sign(hash, data, pair.privateKey);

    const key = loadPublicKey(spki, inspectPublicKey(spki));

    expect(verify(hash, data, key, signature)).toBe(true);
    expect(key.export({ format: 'der', type: 'spki' }).equals(spki)).toBe(true);
  });

  it('refuses a P-256 point that is not on the curve', () => {
    const spki = Buffer.from(
      spkiOf(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey),
    );
    spki[spki.length - 1] ^= 0x01;

    expect(() => loadPublicKey(spki, inspectPublicKey(spki))).toThrow();
  });
});
