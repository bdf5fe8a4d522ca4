import type { Signer, SigningAlgorithm } from '../signer/signer';
import { DER_TAG, encodeDer } from './der';
import { encodeExtensions, type CertificateExtension } from './extensions';

/** Everything of a certificate except its signature; names and key are DER. */
export interface CertificateFields {
  /** Positive serial number bytes (big-endian). */
  serial: Buffer;
  /** DER Name of the issuer (for a self-signed certificate, equal to `subjectName`). */
  issuerName: Buffer;
  /** DER Name of the subject; `30 00` for the empty subject of an SVID. */
  subjectName: Buffer;
  /** Unix seconds. */
  notBefore: number;
  /** Unix seconds. */
  notAfter: number;
  /** DER SubjectPublicKeyInfo, copied into the certificate byte for byte. */
  subjectPublicKeySpki: Buffer;
  extensions: CertificateExtension[];
}

// ecdsa-with-SHA256 / ecdsa-with-SHA384 AlgorithmIdentifiers, parameters absent (RFC 5758 3.2).
const SIGNATURE_ALGORITHMS: Record<SigningAlgorithm, Buffer> = {
  ES256: Buffer.from('300a06082a8648ce3d040302', 'hex'),
  ES384: Buffer.from('300a06082a8648ce3d040303', 'hex'),
};
const VERSION_3 = Buffer.from('a003020102', 'hex');
const TAG_INTEGER = 0x02;
const TAG_UTC_TIME = 0x17;
const TAG_GENERALIZED_TIME = 0x18;
const TAG_EXTENSIONS = 0xa3;

/**
 * Builds and signs an X.509 v3 certificate. This is the only place where certificates are
 * encoded, so a faster encoder can replace it without touching the issuer's callers.
 *
 * Why this shape: a TBSCertificate here is a fixed frame (version, serial, validity, names,
 * the caller's SPKI copied byte for byte, a few known extensions), so it is written as DER
 * directly; @peculiar/asn1-x509 only builds the subject Names of CA certificates and reads
 * certificates back. The DER of the TBSCertificate is then signed through the Signer port, so
 * the CA never holds raw key bytes and an HSM plugin fits unchanged. Driving @peculiar/x509
 * with a delegating crypto provider was the other option; its provider is process-global and
 * its generic ASN.1 encoding cost more per certificate than the ECDSA signature itself.
 */
export async function buildCertificate(fields: CertificateFields, signer: Signer): Promise<Buffer> {
  const algorithm = SIGNATURE_ALGORITHMS[signer.algorithm];
  const validity = encodeDer(
    DER_TAG.SEQUENCE,
    Buffer.concat([encodeTime(fields.notBefore), encodeTime(fields.notAfter)]),
  );
  const tbs = encodeDer(
    DER_TAG.SEQUENCE,
    Buffer.concat([
      VERSION_3,
      encodeDer(TAG_INTEGER, positiveInteger(fields.serial)),
      algorithm,
      fields.issuerName,
      validity,
      fields.subjectName,
      fields.subjectPublicKeySpki,
      encodeDer(TAG_EXTENSIONS, encodeExtensions(fields.extensions)),
    ]),
  );

  const signature = await signer.sign(tbs);

  return encodeDer(
    DER_TAG.SEQUENCE,
    Buffer.concat([
      tbs,
      algorithm,
      encodeDer(DER_TAG.BIT_STRING, Buffer.concat([Buffer.from([0]), signature])),
    ]),
  );
}

/** RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050, always in seconds + Z. */
function encodeTime(seconds: number): Buffer {
  const iso = new Date(seconds * 1000).toISOString();
  const digits = iso.slice(0, 19).replace(/[-:T]/g, '');
  const year = Number(digits.slice(0, 4));
  if (year < 2050) {
    return encodeDer(TAG_UTC_TIME, Buffer.from(`${digits.slice(2)}Z`, 'ascii'));
  }

  return encodeDer(TAG_GENERALIZED_TIME, Buffer.from(`${digits}Z`, 'ascii'));
}

/** Minimal two's-complement bytes of a positive integer given as unsigned big-endian bytes. */
function positiveInteger(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start += 1;
  const trimmed = bytes.subarray(start);

  return trimmed[0] & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed;
}
