import { createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

import { AsnConvert } from '@peculiar/asn1-schema';
import { CertificationRequestInfo } from '@peculiar/asn1-csr';
import { Attribute, Name, SubjectPublicKeyInfo } from '@peculiar/asn1-x509';

import { DER_TAG, encodeDer } from './x509/der';
import { encodeExtensions, subjectAltName } from './x509/extensions';
import { EMPTY_NAME } from './x509/names';
import { writePem } from './x509/pem';

/**
 * Key kinds {@link generateKeyAndCsr} can make. Only `P-256`, `P-384` and `RSA-<2048 or more>`
 * are accepted by the control plane; the others exist so that tests can show them refused.
 */
export type GeneratedKeyType = 'P-256' | 'P-384' | 'P-521' | 'Ed25519' | `RSA-${number}`;

/** Options of {@link generateKeyAndCsr}. */
export interface GenerateKeyAndCsrOptions {
  /** Key kind; `P-256` unless set (PROTOCOL.md default). */
  keyType?: GeneratedKeyType;
  /** URI SANs to request; the control plane accepts at most the expected SPIFFE ID. */
  uriSans?: string[];
}

/** A fresh key pair and a PKCS#10 request signed with it. */
export interface KeyAndCsr {
  /** Unencrypted PKCS#8 PEM of the private key: keep it, never send it. */
  privateKeyPem: string;
  /** PEM block labelled CERTIFICATE REQUEST. */
  csrPem: string;
  /** DER SubjectPublicKeyInfo. */
  publicKeySpki: Buffer;
}

const OID_EXTENSION_REQUEST = '1.2.840.113549.1.9.14';

interface KeyRecipe {
  generate(): KeyObject;
  /** DER AlgorithmIdentifier of the CSR signature. */
  algorithm: Buffer;
  /** Hash for node:crypto `sign`, null for Ed25519. */
  hash: string | null;
}

function recipeFor(keyType: GeneratedKeyType): KeyRecipe {
  const ec = (namedCurve: string, algorithmHex: string, hash: string): KeyRecipe => ({
    generate: () => generateKeyPairSync('ec', { namedCurve }).privateKey,
    algorithm: Buffer.from(algorithmHex, 'hex'),
    hash,
  });
  switch (keyType) {
    case 'P-256':
      return ec('prime256v1', '300a06082a8648ce3d040302', 'sha256');
    case 'P-384':
      return ec('secp384r1', '300a06082a8648ce3d040303', 'sha384');
    case 'P-521':
      return ec('secp521r1', '300a06082a8648ce3d040304', 'sha512');
    case 'Ed25519':
      return {
        generate: () => generateKeyPairSync('ed25519').privateKey,
        algorithm: Buffer.from('300506032b6570', 'hex'),
        hash: null,
      };
    default: {
      const bits = Number(/^RSA-(\d+)$/.exec(keyType)?.[1]);
      if (!Number.isInteger(bits) || bits < 512) throw new TypeError(`unknown key type ${keyType}`);
      return {
        generate: () => generateKeyPairSync('rsa', { modulusLength: bits }).privateKey,
        algorithm: Buffer.from('300d06092a864886f70d01010b0500', 'hex'), // sha256WithRSAEncryption
        hash: 'sha256',
      };
    }
  }
}

/**
 * Makes a key pair and a CSR for it with an empty subject and, when `uriSans` is given, an
 * extensionRequest for those URI SANs. The private key never leaves the returned value.
 * Used by the agent to enroll and renew, and by tests.
 */
export function generateKeyAndCsr(options: GenerateKeyAndCsrOptions = {}): KeyAndCsr {
  const recipe = recipeFor(options.keyType ?? 'P-256');
  const privateKey = recipe.generate();
  const publicKeySpki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });

  const info = new CertificationRequestInfo({
    version: 0,
    subject: AsnConvert.parse(EMPTY_NAME, Name),
    subjectPKInfo: AsnConvert.parse(publicKeySpki, SubjectPublicKeyInfo),
  });
  const uriSans = options.uriSans ?? [];
  if (uriSans.length > 0) {
    const extensions = encodeExtensions([subjectAltName({ uris: uriSans }, true)]);
    info.attributes.push(
      new Attribute({ type: OID_EXTENSION_REQUEST, values: [toArrayBuffer(extensions)] }),
    );
  }
  const infoDer = Buffer.from(AsnConvert.serialize(info));
  const signature = sign(recipe.hash, infoDer, privateKey);
  const csrDer = encodeDer(
    DER_TAG.SEQUENCE,
    Buffer.concat([
      infoDer,
      recipe.algorithm,
      encodeDer(DER_TAG.BIT_STRING, Buffer.concat([Buffer.from([0]), signature])),
    ]),
  );

  return {
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    csrPem: writePem('CERTIFICATE REQUEST', csrDer),
    publicKeySpki,
  };
}

function toArrayBuffer(bytes: Buffer): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
