import { X509Certificate } from 'node:crypto';

import { AsnConvert, BitString, OctetString } from '@peculiar/asn1-schema';
import {
  AuthorityKeyIdentifier,
  BasicConstraints,
  Certificate,
  ExtendedKeyUsage,
  Extension,
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_ce_subjectAltName,
  id_ce_subjectKeyIdentifier,
  SubjectAlternativeName,
} from '@peculiar/asn1-x509';

import { certificateSha256, isSingleDerSequence } from './certificate-encoding';
import { formatDistinguishedName } from './distinguished-name';
import { SvidError } from './errors';

/** The nine bits of the X.509 keyUsage extension (RFC 5280 section 4.2.1.3). */
export interface KeyUsageBits {
  digitalSignature: boolean;
  contentCommitment: boolean;
  keyEncipherment: boolean;
  dataEncipherment: boolean;
  keyAgreement: boolean;
  keyCertSign: boolean;
  cRLSign: boolean;
  encipherOnly: boolean;
  decipherOnly: boolean;
}

const KEY_USAGE_BIT_NAMES: (keyof KeyUsageBits)[] = [
  'digitalSignature',
  'contentCommitment',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

// Extensions whose meaning verification understands; any other critical one is refused, as
// RFC 5280 section 4.2 requires.
const UNDERSTOOD_EXTENSIONS = new Set([
  id_ce_keyUsage,
  id_ce_basicConstraints,
  id_ce_subjectAltName,
  id_ce_extKeyUsage,
  id_ce_subjectKeyIdentifier,
  id_ce_authorityKeyIdentifier,
]);

/** A certificate decoded once, with the fields SVID verification and inspection read. */
export interface DecodedCertificate {
  der: Buffer;
  node: X509Certificate;
  sha256: string;
  serial: string;
  notBeforeMs: number;
  notAfterMs: number;
  subjectDer: Buffer;
  issuerDer: Buffer;
  subject: string;
  issuer: string;
  basicConstraints: { ca: boolean; pathLenConstraint: number | null; critical: boolean } | null;
  keyUsage: { bits: KeyUsageBits; critical: boolean } | null;
  extKeyUsage: string[];
  uriSans: string[];
  dnsSans: string[];
  ipSans: string[];
  subjectKeyId: string | null;
  authorityKeyId: string | null;
  criticalExtensions: string[];
  unknownCriticalExtensions: string[];
}

/** Decodes a DER certificate; throws {@link SvidError} `svid_malformed`. */
export function decodeCertificate(der: Buffer): DecodedCertificate {
  if (!Buffer.isBuffer(der) || !isSingleDerSequence(der)) {
    throw new SvidError('svid_malformed', 'certificate is not one der sequence');
  }

  try {
    return decodeWellFramed(der);
  } catch (err) {
    if (err instanceof SvidError) {
      throw err;
    }
    throw new SvidError('svid_malformed', 'certificate cannot be decoded', { cause: err });
  }
}

/** Lowercase hex of a DER INTEGER's content, without the leading zero bytes of the sign. */
export function serialHex(content: ArrayBuffer): string {
  const hex = Buffer.from(content)
    .toString('hex')
    .replace(/^(00)+/, '');

  return hex === '' ? '00' : hex;
}

function decodeWellFramed(der: Buffer): DecodedCertificate {
  const node = new X509Certificate(der);
  const certificate = AsnConvert.parse(der, Certificate);
  const tbs = certificate.tbsCertificate;
  const extensions = indexExtensions(tbs.extensions ?? []);
  const sans = readSans(extensions.get(id_ce_subjectAltName));

  return {
    der,
    node,
    sha256: certificateSha256(der),
    serial: serialHex(tbs.serialNumber),
    notBeforeMs: tbs.validity.notBefore.getTime().getTime(),
    notAfterMs: tbs.validity.notAfter.getTime().getTime(),
    subjectDer: Buffer.from(AsnConvert.serialize(tbs.subject)),
    issuerDer: Buffer.from(AsnConvert.serialize(tbs.issuer)),
    subject: formatDistinguishedName(tbs.subject),
    issuer: formatDistinguishedName(tbs.issuer),
    basicConstraints: readBasicConstraints(extensions.get(id_ce_basicConstraints)),
    keyUsage: readKeyUsage(extensions.get(id_ce_keyUsage)),
    extKeyUsage: readExtKeyUsage(extensions.get(id_ce_extKeyUsage)),
    ...sans,
    subjectKeyId: readSubjectKeyId(extensions.get(id_ce_subjectKeyIdentifier)),
    authorityKeyId: readAuthorityKeyId(extensions.get(id_ce_authorityKeyIdentifier)),
    criticalExtensions: [...extensions.values()].filter((e) => e.critical).map((e) => e.extnID),
    unknownCriticalExtensions: [...extensions.values()]
      .filter((e) => e.critical && !UNDERSTOOD_EXTENSIONS.has(e.extnID))
      .map((e) => e.extnID),
  };
}

// RFC 5280 section 4.2: a certificate must not include more than one instance of an extension.
function indexExtensions(extensions: Extension[]): Map<string, Extension> {
  const byId = new Map<string, Extension>();
  for (const extension of extensions) {
    if (byId.has(extension.extnID)) {
      throw new SvidError('svid_malformed', `extension ${extension.extnID} appears twice`);
    }
    byId.set(extension.extnID, extension);
  }

  return byId;
}

function valueOf(extension: Extension): ArrayBuffer {
  return extension.extnValue.buffer;
}

function readBasicConstraints(extension: Extension | undefined) {
  if (!extension) {
    return null;
  }
  const value = AsnConvert.parse(valueOf(extension), BasicConstraints);

  return {
    ca: value.cA === true,
    pathLenConstraint: value.pathLenConstraint ?? null,
    critical: extension.critical,
  };
}

// Bit n of a BIT STRING is bit (7 - n % 8) of byte n / 8, counting from the first content byte.
function readKeyUsage(extension: Extension | undefined) {
  if (!extension) {
    return null;
  }
  const bytes = Buffer.from(AsnConvert.parse(valueOf(extension), BitString).value);
  const isSet = (bit: number) =>
    bit >> 3 < bytes.length && ((bytes[bit >> 3] >> (7 - (bit & 7))) & 1) === 1;
  const bits = Object.fromEntries(KEY_USAGE_BIT_NAMES.map((name, bit) => [name, isSet(bit)]));

  return { bits: bits as unknown as KeyUsageBits, critical: extension.critical };
}

function readExtKeyUsage(extension: Extension | undefined): string[] {
  if (!extension) {
    return [];
  }

  return [...AsnConvert.parse(valueOf(extension), ExtendedKeyUsage)];
}

function readSans(extension: Extension | undefined) {
  const sans = { uriSans: [] as string[], dnsSans: [] as string[], ipSans: [] as string[] };
  if (!extension) {
    return sans;
  }
  for (const name of AsnConvert.parse(valueOf(extension), SubjectAlternativeName)) {
    if (name.uniformResourceIdentifier !== undefined) {
      sans.uriSans.push(name.uniformResourceIdentifier);
    }
    if (name.dNSName !== undefined) {
      sans.dnsSans.push(name.dNSName);
    }
    if (name.iPAddress !== undefined) {
      sans.ipSans.push(name.iPAddress);
    }
  }

  return sans;
}

function readSubjectKeyId(extension: Extension | undefined): string | null {
  if (!extension) {
    return null;
  }

  return Buffer.from(AsnConvert.parse(valueOf(extension), OctetString).buffer).toString('hex');
}

function readAuthorityKeyId(extension: Extension | undefined): string | null {
  if (!extension) {
    return null;
  }
  const value = AsnConvert.parse(valueOf(extension), AuthorityKeyIdentifier);

  return value.keyIdentifier ? Buffer.from(value.keyIdentifier.buffer).toString('hex') : null;
}
