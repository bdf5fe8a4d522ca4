import { createHash, createPublicKey, type KeyObject } from 'node:crypto';

import { DER_TAG, readDerChildren, readDerElement } from './der';

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
  key: KeyObject;
}

const EC_CURVES: Record<string, PublicKeyType> = { prime256v1: 'P-256', secp384r1: 'P-384' };
const OID_TAG = 0x06;
const MIN_RSA_BITS = 2048;

/** Reads a DER SubjectPublicKeyInfo; throws a plain Error when it is not one. */
export function inspectPublicKey(spki: Buffer): PublicKeyInfo {
  const outer = readDerElement(spki, 0);
  if (outer.tag !== DER_TAG.SEQUENCE || outer.end !== spki.length) {
    throw new Error('public key is not a DER SubjectPublicKeyInfo');
  }
  const [algorithm, bits] = readDerChildren(spki, outer);
  if (!algorithm || !bits || bits.tag !== DER_TAG.BIT_STRING || spki[bits.contentStart] !== 0) {
    throw new Error('public key is not a DER SubjectPublicKeyInfo');
  }
  const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  const algorithmParts = readDerChildren(spki, algorithm);

  return {
    keyType: keyTypeOf(key, algorithmParts[1]?.tag),
    isRsa: key.asymmetricKeyType === 'rsa',
    keyIdentifier: createHash('sha1')
      .update(spki.subarray(bits.contentStart + 1, bits.end))
      .digest(),
    key,
  };
}

/** True for the key types PROTOCOL.md accepts: EC P-256, EC P-384, RSA of 2048 bits or more. */
export function isAllowedKeyType(keyType: PublicKeyType): boolean {
  if (keyType === 'P-256' || keyType === 'P-384') return true;
  const rsa = /^RSA-(\d+)$/.exec(keyType);

  return rsa !== null && Number(rsa[1]) >= MIN_RSA_BITS;
}

function keyTypeOf(key: KeyObject, parameterTag: number | undefined): PublicKeyType {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'ec':
      // Explicit curve parameters are forbidden in certificates (RFC 5480): only named curves.
      if (parameterTag !== OID_TAG) return 'other-ec-explicit';
      return EC_CURVES[details.namedCurve ?? ''] ?? `other-ec-${details.namedCurve ?? 'unknown'}`;
    case 'rsa':
      return `RSA-${details.modulusLength ?? 0}`;
    default:
      return `other-${key.asymmetricKeyType ?? 'unknown'}`;
  }
}
