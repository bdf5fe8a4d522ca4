import { verify, type KeyObject } from 'node:crypto';

import { sha256hex } from '@zen/hmac';

import { CsrError } from './errors';
import { DER_TAG, readDerChildren, readDerElement, type DerElement } from './x509/der';
import { readPemBlocks } from './x509/pem';
import {
  inspectPublicKey,
  isAllowedKeyType,
  loadPublicKey,
  type PublicKeyInfo,
  type PublicKeyType,
} from './x509/public-key';

/** A PKCS#10 request after parsing, before any check of its content. */
export interface ParsedCsr {
  /** DER of the whole request; `sha256hex(der)` is what the enrollment MAC covers. */
  der: Buffer;
  /** DER SubjectPublicKeyInfo. */
  publicKeySpki: Buffer;
  /** sha256hex of the SubjectPublicKeyInfo DER. */
  publicKeySha256: string;
  keyType: PublicKeyType;
  /** Every URI SAN the request asks for (extensionRequest attribute), in order. */
  uriSans: string[];
}

const CSR_LABEL = 'CERTIFICATE REQUEST';
const OID_EXTENSION_REQUEST = Buffer.from('2a864886f70d01090e', 'hex'); // 1.2.840.113549.1.9.14
const OID_SUBJECT_ALT_NAME = Buffer.from('551d11', 'hex'); // 2.5.29.17
const SET_TAG = 0x31;
const OCTET_STRING_TAG = 0x04;
const URI_TAG = 0x86;
const ATTRIBUTES_TAG = 0xa0;
const INTEGER_TAG = 0x02;

// Signature algorithms accepted on a CSR, with the hash node:crypto needs. SHA-1 and RSA-PSS
// are left out: the first is broken, the second is not worth its parameter parsing here.
const SIGNATURE_HASHES: Record<string, string | null> = {
  '2a8648ce3d040302': 'sha256', // ecdsa-with-SHA256
  '2a8648ce3d040303': 'sha384', // ecdsa-with-SHA384
  '2a8648ce3d040304': 'sha512', // ecdsa-with-SHA512
  '2a864886f70d01010b': 'sha256', // sha256WithRSAEncryption
  '2a864886f70d01010c': 'sha384', // sha384WithRSAEncryption
  '2a864886f70d01010d': 'sha512', // sha512WithRSAEncryption
  // Ed25519 keys are refused, but only after the signature check, so the refusal names the key.
  '2b6570': null,
};
const OID_TAG = 0x06;

// Key facts read by parseCsrDer, so that validateCsr does not walk the key a second time.
const inspectedKeys = new WeakMap<ParsedCsr, PublicKeyInfo>();

/**
 * The DER inside a PEM text that holds exactly one block labelled `CERTIFICATE REQUEST` and
 * nothing else but whitespace. Does not look inside the DER. Throws CsrError `csr_malformed`.
 */
export function csrPemToDer(pem: string): Buffer {
  let blocks;
  try {
    blocks = typeof pem === 'string' ? readPemBlocks(pem) : [];
  } catch (error) {
    throw new CsrError('csr_malformed', 'the CSR PEM block is not valid base64', { cause: error });
  }
  const onlyBlock = blocks.length === 1 && blocks[0].label === CSR_LABEL;
  const outside =
    typeof pem === 'string' ? pem.replace(/-----BEGIN[\s\S]*-----END[^-]*-----/, '') : '';
  if (!onlyBlock || outside.trim() !== '' || blocks[0].der.length === 0) {
    throw new CsrError(
      'csr_malformed',
      `the CSR must be exactly one PEM block labelled ${CSR_LABEL}`,
    );
  }

  return blocks[0].der;
}

/**
 * Parses a PEM CSR (see {@link csrPemToDer}) into its key and requested URI SANs. Checks
 * structure only; {@link validateCsr} decides whether to accept it. Throws `csr_malformed`.
 */
export function parseCsrPem(pem: string): ParsedCsr {
  return parseCsrDer(csrPemToDer(pem));
}

/** Parses a DER CSR like {@link parseCsrPem}. Throws CsrError `csr_malformed`. */
export function parseCsrDer(der: Buffer): ParsedCsr {
  const parts = splitCsr(der);
  const spki = parts.publicKeySpki;
  const key = inspectKey(spki);
  const parsed: ParsedCsr = {
    der,
    publicKeySpki: spki,
    publicKeySha256: sha256hex(spki),
    keyType: key?.keyType ?? 'other-unknown',
    uriSans: requestedUriSans(der, parts.attributes),
  };
  if (key) inspectedKeys.set(parsed, key);

  return parsed;
}

/**
 * Accepts a CSR for `expectedSpiffeId` or throws CsrError whose `reason` is safe to return to a
 * caller that has proven its token (PROTOCOL.md, Enrollment step 3):
 * `csr_signature_invalid` (no proof of possession of the key), `csr_key_not_allowed` (only EC
 * P-256, EC P-384 and RSA of 2048 bits or more), `csr_uri_san_mismatch` (a URI SAN other than
 * the expected SPIFFE ID, or more than one), `csr_malformed`.
 */
export function validateCsr(csr: ParsedCsr, expectedSpiffeId: string): void {
  const parts = splitCsr(csr.der);
  const info = inspectedKeys.get(csr) ?? inspectKey(parts.publicKeySpki);
  const key = info ? loadKey(parts.publicKeySpki, info) : null;
  if (!key && info && isAllowedKeyType(info.keyType)) {
    throw new CsrError('csr_malformed', 'the CSR public key is not a valid key of its type');
  }
  if (!key) {
    throw new CsrError('csr_key_not_allowed', 'the CSR public key type is not supported');
  }

  checkSignature(parts, key);

  if (!isAllowedKeyType(csr.keyType)) {
    throw new CsrError(
      'csr_key_not_allowed',
      `the CSR key type ${csr.keyType} is not allowed; use EC P-256, EC P-384 or RSA of at ` +
        'least 2048 bits',
    );
  }

  if (csr.uriSans.length > 1) {
    throw new CsrError(
      'csr_uri_san_mismatch',
      `the CSR carries ${csr.uriSans.length} URI SANs; ` +
        'at most one, the expected SPIFFE ID, is allowed',
    );
  }
  if (csr.uriSans.length === 1 && csr.uriSans[0] !== expectedSpiffeId) {
    throw new CsrError(
      'csr_uri_san_mismatch',
      'the CSR URI SAN is not the SPIFFE ID this request is entitled to',
    );
  }
}

interface CsrParts {
  info: Buffer;
  signatureAlgorithmOid: Buffer;
  signatureAlgorithmHasParameters: boolean;
  signature: Buffer;
  publicKeySpki: Buffer;
  attributes: DerElement | undefined;
}

/** Walks the outer structure, keeping the exact bytes the signature covers. */
function splitCsr(der: Buffer): CsrParts {
  try {
    const outer = readDerElement(der, 0);
    const [info, algorithm, bits, ...extra] = readDerChildren(der, outer);
    const infoFields = readDerChildren(der, info);
    const [oid, parameters] = readDerChildren(der, algorithm);
    const spki = infoFields[2];
    const valid =
      outer.tag === DER_TAG.SEQUENCE &&
      outer.end === der.length &&
      extra.length === 0 &&
      info.tag === DER_TAG.SEQUENCE &&
      algorithm.tag === DER_TAG.SEQUENCE &&
      oid?.tag === OID_TAG &&
      bits?.tag === DER_TAG.BIT_STRING &&
      bits.end > bits.contentStart &&
      der[bits.contentStart] === 0 &&
      infoFields[0]?.tag === INTEGER_TAG &&
      infoFields[1]?.tag === DER_TAG.SEQUENCE &&
      spki?.tag === DER_TAG.SEQUENCE &&
      infoFields.length <= 4 &&
      (infoFields[3] === undefined || infoFields[3].tag === ATTRIBUTES_TAG);
    if (!valid) throw new Error('unexpected CSR structure');

    return {
      info: der.subarray(info.start, info.end),
      signatureAlgorithmOid: der.subarray(oid.contentStart, oid.end),
      signatureAlgorithmHasParameters: parameters !== undefined && der[parameters.start] !== 0x05,
      signature: der.subarray(bits.contentStart + 1, bits.end),
      publicKeySpki: der.subarray(spki.start, spki.end),
      attributes: infoFields[3],
    };
  } catch (error) {
    throw new CsrError('csr_malformed', 'the CSR is not a valid PKCS#10 request', { cause: error });
  }
}

function checkSignature(parts: CsrParts, key: KeyObject): void {
  const hash = SIGNATURE_HASHES[parts.signatureAlgorithmOid.toString('hex')];
  if (hash === undefined || parts.signatureAlgorithmHasParameters) {
    throw new CsrError(
      'csr_signature_invalid',
      'the CSR signature algorithm is not accepted; sign with ECDSA or RSA PKCS#1 v1.5 and SHA-2',
    );
  }

  let valid = false;
  try {
    valid = verify(hash, parts.info, { key, dsaEncoding: 'der' }, parts.signature);
  } catch {
    // A signature algorithm that does not fit the key type lands here, as does garbage.
    valid = false;
  }
  if (!valid) {
    throw new CsrError(
      'csr_signature_invalid',
      'the CSR signature does not verify with its own public key',
    );
  }
}

function inspectKey(spki: Buffer): PublicKeyInfo | null {
  try {
    return inspectPublicKey(spki);
  } catch {
    return null;
  }
}

function loadKey(spki: Buffer, info: PublicKeyInfo): KeyObject | null {
  try {
    return loadPublicKey(spki, info);
  } catch {
    // Node cannot load every algorithm, nor a point off its curve: such a key is not usable.
    return null;
  }
}

// The request is walked as DER rather than decoded by a generic ASN.1 library: only the
// extensionRequest attribute matters here, and generic decoding cost more than the signature
// check. CertificationRequestInfo attributes are [0] SET OF { type OID, values SET }; the SAN
// sits in an Extension's OCTET STRING as GeneralNames, URIs being [6] IA5String.
function requestedUriSans(der: Buffer, attributes: DerElement | undefined): string[] {
  if (!attributes) return [];
  try {
    const uris: string[] = [];
    for (const attribute of readDerChildren(der, attributes)) {
      const [type, values] = readDerChildren(der, attribute);
      if (type?.tag !== OID_TAG || !values || values.tag !== SET_TAG) throw new Error('attribute');
      if (!der.subarray(type.contentStart, type.end).equals(OID_EXTENSION_REQUEST)) continue;
      for (const extensions of readDerChildren(der, values)) {
        uris.push(...uriSansOf(der, extensions));
      }
    }

    return uris;
  } catch (error) {
    throw new CsrError('csr_malformed', 'the CSR extension request is not valid', { cause: error });
  }
}

function uriSansOf(der: Buffer, extensions: DerElement): string[] {
  if (extensions.tag !== DER_TAG.SEQUENCE) throw new Error('extensions');
  const uris: string[] = [];
  for (const extension of readDerChildren(der, extensions)) {
    const fields = readDerChildren(der, extension);
    const [oid] = fields;
    const value = fields[fields.length - 1];
    if (oid?.tag !== OID_TAG || value?.tag !== OCTET_STRING_TAG) throw new Error('extension');
    if (!der.subarray(oid.contentStart, oid.end).equals(OID_SUBJECT_ALT_NAME)) continue;
    const names = readDerElement(der, value.contentStart, value.end);
    if (names.tag !== DER_TAG.SEQUENCE || names.end !== value.end) throw new Error('names');
    for (const name of readDerChildren(der, names)) {
      if (name.tag === URI_TAG) uris.push(der.toString('latin1', name.contentStart, name.end));
    }
  }

  return uris;
}
