import { createHash, createPublicKey, type KeyObject } from 'node:crypto';

import { DER_TAG, readDerChildren, readDerElement, type DerElement } from './der';

/**
 * Kind of a subject public key. The allowed kinds are `P-256`, `P-384` and `RSA-<bits>` (2048 or
 * more); anything else is reported as `other-<kind>` (`other-ed25519`, `other-ec-secp521r1`)
 * so that callers can name it in a refusal.
 */
export type PublicKeyType = 'P-256' | 'P-384' | `RSA-${number}` | `other-${string}`;

/** What the issuer and the CSR checks need to know about a SubjectPublicKeyInfo. */
export interface PublicKeyInfo {
  keyType: PublicKeyType;
  /** True for rsaEncryption keys, which also get keyEncipherment in an SVID. */
  isRsa: boolean;
  /** RFC 5280 4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits. */
  keyIdentifier: Buffer;
  /** The subjectPublicKey bits (EC point, or DER RSAPublicKey). */
  keyBits: Buffer;
}

const OID_TAG = 0x06;
const INTEGER_TAG = 0x02;
const MIN_RSA_BITS = 2048;
const ALGORITHMS: Record<string, string> = {
  '2a8648ce3d0201': 'ec',
  '2a864886f70d010101': 'rsa',
  '2a864886f70d01010a': 'rsa-pss',
  '2b6570': 'ed25519',
  '2b6571': 'ed448',
  '2b656e': 'x25519',
  '2b656f': 'x448',
  '2a8648ce380401': 'dsa',
};
const CURVES: Record<string, { name: string; type?: PublicKeyType; coordinateBytes: number }> = {
  '2a8648ce3d030107': { name: 'prime256v1', type: 'P-256', coordinateBytes: 32 },
  '2b81040022': { name: 'secp384r1', type: 'P-384', coordinateBytes: 48 },
  '2b81040023': { name: 'secp521r1', coordinateBytes: 66 },
  '2b8104000a': { name: 'secp256k1', coordinateBytes: 32 },
};

/**
 * Reads a DER SubjectPublicKeyInfo by walking its DER; throws a plain Error when it is not one.
 * It does not load the key: OpenSSL 3 decoding costs more than an ECDSA signature, and only the
 * CSR signature check needs a key object ({@link loadPublicKey}).
 */
export function inspectPublicKey(spki: Buffer): PublicKeyInfo {
  const outer = readDerElement(spki, 0);
  if (outer.tag !== DER_TAG.SEQUENCE || outer.end !== spki.length) {
    throw new Error('public key is not a DER SubjectPublicKeyInfo');
  }
  const [algorithm, bits, ...extra] = readDerChildren(spki, outer);
  const [oid, parameters] = algorithm ? readDerChildren(spki, algorithm) : [];
  const bitsValid = bits?.tag === DER_TAG.BIT_STRING && bits.end > bits.contentStart + 1;
  if (extra.length > 0 || oid?.tag !== OID_TAG || !bitsValid || spki[bits.contentStart] !== 0) {
    throw new Error('public key is not a DER SubjectPublicKeyInfo');
  }
  const keyBits = spki.subarray(bits.contentStart + 1, bits.end);
  const kind = ALGORITHMS[hex(spki, oid)] ?? 'unknown';

  return {
    keyType: keyTypeOf(kind, spki, parameters, keyBits),
    isRsa: kind === 'rsa',
    keyIdentifier: createHash('sha1').update(keyBits).digest(),
    keyBits,
  };
}

/** True for the key types PROTOCOL.md accepts: EC P-256, EC P-384, RSA of 2048 bits or more. */
export function isAllowedKeyType(keyType: PublicKeyType): boolean {
  if (keyType === 'P-256' || keyType === 'P-384') return true;
  const rsa = /^RSA-(\d+)$/.exec(keyType);

  return rsa !== null && Number(rsa[1]) >= MIN_RSA_BITS;
}

/**
 * Loads the key for node:crypto. Allowed EC and RSA keys go through JWK, which node imports
 * several times faster than SPKI DER; other keys fall back to DER. Throws when node refuses.
 */
export function loadPublicKey(spki: Buffer, info: PublicKeyInfo): KeyObject {
  const { keyType, keyBits } = info;
  if ((keyType === 'P-256' || keyType === 'P-384') && keyBits[0] === 0x04) {
    const size = (keyBits.length - 1) / 2;
    const x = keyBits.subarray(1, 1 + size).toString('base64url');
    const y = keyBits.subarray(1 + size).toString('base64url');
    return createPublicKey({ key: { kty: 'EC', crv: keyType, x, y }, format: 'jwk' });
  }
  if (info.isRsa) {
    const [n, e] = rsaIntegers(keyBits);
    return createPublicKey({
      key: { kty: 'RSA', n: n.toString('base64url'), e: e.toString('base64url') },
      format: 'jwk',
    });
  }

  return createPublicKey({ key: spki, format: 'der', type: 'spki' });
}

function keyTypeOf(
  kind: string,
  spki: Buffer,
  parameters: DerElement | undefined,
  keyBits: Buffer,
): PublicKeyType {
  if (kind === 'rsa') {
    const [modulus] = rsaIntegers(keyBits);
    return `RSA-${bitLength(modulus)}`;
  }
  if (kind !== 'ec') return `other-${kind}`;

  // Explicit curve parameters are forbidden in certificates (RFC 5480): only named curves.
  if (parameters?.tag !== OID_TAG) return 'other-ec-explicit';
  const curve = CURVES[hex(spki, parameters)];
  if (!curve) return 'other-ec-unknown';
  const uncompressed = keyBits[0] === 0x04 && keyBits.length === 1 + 2 * curve.coordinateBytes;
  const compressed =
    (keyBits[0] === 0x02 || keyBits[0] === 0x03) && keyBits.length === 1 + curve.coordinateBytes;
  if (!uncompressed && !compressed) throw new Error('EC point has the wrong length');

  return curve.type ?? `other-ec-${curve.name}`;
}

/** Modulus and exponent of a DER RSAPublicKey, without sign padding. */
function rsaIntegers(keyBits: Buffer): [Buffer, Buffer] {
  const sequence = readDerElement(keyBits, 0);
  const [n, e, ...extra] = readDerChildren(keyBits, sequence);
  const valid =
    sequence.tag === DER_TAG.SEQUENCE &&
    sequence.end === keyBits.length &&
    n?.tag === INTEGER_TAG &&
    e?.tag === INTEGER_TAG &&
    extra.length === 0;
  if (!valid) throw new Error('RSA public key is not a DER RSAPublicKey');
  const unsigned = (element: DerElement) => {
    let start = element.contentStart;
    while (start < element.end - 1 && keyBits[start] === 0) start += 1;
    return keyBits.subarray(start, element.end);
  };

  return [unsigned(n), unsigned(e)];
}

function bitLength(value: Buffer): number {
  if (value.length === 0 || (value.length === 1 && value[0] === 0)) return 0;

  return (value.length - 1) * 8 + (32 - Math.clz32(value[0]));
}

function hex(buffer: Buffer, element: DerElement): string {
  return buffer.toString('hex', element.contentStart, element.end);
}
