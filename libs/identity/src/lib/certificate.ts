import { X509Certificate } from 'node:crypto';

import { AsnConvert, BitString, OctetString } from '@peculiar/asn1-schema';
import {
  AuthorityKeyIdentifier,
  BasicConstraints,
  ExtendedKeyUsage,
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_ce_subjectAltName,
  id_ce_subjectKeyIdentifier,
  Name,
  SubjectAlternativeName,
} from '@peculiar/asn1-x509';

import { certificateSha256, isSingleDerSequence } from './certificate-encoding';
import {
  DerElement,
  decodeOid,
  decodeTime,
  derBytes,
  derContent,
  readDerChildren,
  readDerElement,
} from './der-reader';
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
  /** Raw DER of the names, compared byte for byte when chaining. */
  subjectDer: Buffer;
  issuerDer: Buffer;
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

const TAG_BOOLEAN = 0x01;
const TAG_INTEGER = 0x02;
const TAG_OCTET_STRING = 0x04;
const TAG_OID = 0x06;
const TAG_SEQUENCE = 0x30;
const TAG_VERSION = 0xa0;
const TAG_EXTENSIONS = 0xa3;
const CACHE_MAX_ENTRIES = 1024;

// Decoding costs far more than hashing, and verifiers see the same roots, intermediates and
// peer leaves again and again; entries are keyed by content, so a hit is the same certificate.
const cache = new Map<string, DecodedCertificate>();

/** Decodes a DER certificate; throws {@link SvidError} `svid_malformed`. */
export function decodeCertificate(der: Buffer): DecodedCertificate {
  if (!Buffer.isBuffer(der) || !isSingleDerSequence(der)) {
    throw new SvidError('svid_malformed', 'certificate is not one der sequence');
  }

  const sha256 = certificateSha256(der);
  const cached = cache.get(sha256);
  if (cached) {
    return cached;
  }

  const decoded = decodeUncached(Buffer.from(der), sha256);
  if (cache.size >= CACHE_MAX_ENTRIES) {
    cache.delete(cache.keys().next().value as string);
  }
  cache.set(sha256, decoded);

  return decoded;
}

/** The RFC 4514 string of a DER-encoded X.501 Name. */
export function formatNameDer(nameDer: Buffer): string {
  return formatDistinguishedName(AsnConvert.parse(nameDer, Name));
}

/** Lowercase hex of a DER INTEGER's content, without the leading zero bytes of the sign. */
export function serialHex(content: Uint8Array): string {
  const hex = Buffer.from(content)
    .toString('hex')
    .replace(/^(00)+/, '');

  return hex === '' ? '00' : hex;
}

function decodeUncached(der: Buffer, sha256: string): DecodedCertificate {
  try {
    return decodeWellFramed(der, sha256);
  } catch (err) {
    if (err instanceof SvidError) {
      throw err;
    }
    throw new SvidError('svid_malformed', 'certificate cannot be decoded', { cause: err });
  }
}

// Walks the outer structure by hand (RFC 5280 section 4.1) and leaves only the small extension
// values to the schema parser, which is slow on whole certificates.
function decodeWellFramed(der: Buffer, sha256: string): DecodedCertificate {
  const node = new X509Certificate(der);
  const tbs = readTbsFields(der);
  const [notBefore, notAfter] = readDerChildren(der, tbs.validity);
  const extensions = indexExtensions(readExtensions(der, tbs.extensions));
  const sans = readSans(extensions.get(id_ce_subjectAltName));

  return {
    der,
    node,
    sha256,
    serial: serialHex(derContent(der, tbs.serial)),
    notBeforeMs: decodeTime(notBefore.tag, derContent(der, notBefore)),
    notAfterMs: decodeTime(notAfter.tag, derContent(der, notAfter)),
    subjectDer: derBytes(der, tbs.subject),
    issuerDer: derBytes(der, tbs.issuer),
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

function readTbsFields(der: Buffer) {
  const [tbs] = readDerChildren(der, readDerElement(der, 0));
  if (tbs?.tag !== TAG_SEQUENCE) {
    throw new SvidError('svid_malformed', 'certificate has no tbsCertificate');
  }
  const fields = readDerChildren(der, tbs);
  const first = fields[0]?.tag === TAG_VERSION ? 1 : 0;
  const [serial, , issuer, validity, subject, publicKey] = fields.slice(first, first + 6);
  const named = [issuer, validity, subject, publicKey];
  if (serial?.tag !== TAG_INTEGER || named.some((field) => field?.tag !== TAG_SEQUENCE)) {
    throw new SvidError('svid_malformed', 'tbsCertificate fields are out of order');
  }

  return {
    serial,
    issuer,
    validity,
    subject,
    extensions: fields.slice(first + 6).find((field) => field.tag === TAG_EXTENSIONS) ?? null,
  };
}

interface RawExtension {
  extnID: string;
  critical: boolean;
  value: Buffer;
}

function readExtensions(der: Buffer, wrapper: DerElement | null): RawExtension[] {
  if (!wrapper) {
    return [];
  }
  const [list] = readDerChildren(der, wrapper);
  if (list?.tag !== TAG_SEQUENCE) {
    throw new SvidError('svid_malformed', 'extensions are not a sequence');
  }

  return readDerChildren(der, list).map((element) => readExtension(der, element));
}

// Extension ::= SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }
function readExtension(der: Buffer, element: DerElement): RawExtension {
  const parts = readDerChildren(der, element);
  const [id, flag, value] = parts.length === 2 ? [parts[0], null, parts[1]] : parts;
  const flagOk = flag === null || (flag.tag === TAG_BOOLEAN && flag.end - flag.contentStart === 1);
  if (parts.length < 2 || parts.length > 3 || id.tag !== TAG_OID || !flagOk) {
    throw new SvidError('svid_malformed', 'extension is not well formed');
  }
  if (value.tag !== TAG_OCTET_STRING) {
    throw new SvidError('svid_malformed', 'extension value is not an octet string');
  }

  return {
    extnID: decodeOid(derContent(der, id)),
    critical: flag !== null && der[flag.contentStart] !== 0,
    value: derContent(der, value),
  };
}

// RFC 5280 section 4.2: a certificate must not include more than one instance of an extension.
function indexExtensions(extensions: RawExtension[]): Map<string, RawExtension> {
  const byId = new Map<string, RawExtension>();
  for (const extension of extensions) {
    if (byId.has(extension.extnID)) {
      throw new SvidError('svid_malformed', `extension ${extension.extnID} appears twice`);
    }
    byId.set(extension.extnID, extension);
  }

  return byId;
}

function valueOf(extension: RawExtension): Buffer {
  return extension.value;
}

function readBasicConstraints(extension: RawExtension | undefined) {
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
function readKeyUsage(extension: RawExtension | undefined) {
  if (!extension) {
    return null;
  }
  const bytes = Buffer.from(AsnConvert.parse(valueOf(extension), BitString).value);
  const isSet = (bit: number) =>
    bit >> 3 < bytes.length && ((bytes[bit >> 3] >> (7 - (bit & 7))) & 1) === 1;
  const bits = Object.fromEntries(KEY_USAGE_BIT_NAMES.map((name, bit) => [name, isSet(bit)]));

  return { bits: bits as unknown as KeyUsageBits, critical: extension.critical };
}

function readExtKeyUsage(extension: RawExtension | undefined): string[] {
  if (!extension) {
    return [];
  }

  return [...AsnConvert.parse(valueOf(extension), ExtendedKeyUsage)];
}

function readSans(extension: RawExtension | undefined) {
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

function readSubjectKeyId(extension: RawExtension | undefined): string | null {
  if (!extension) {
    return null;
  }

  return Buffer.from(AsnConvert.parse(valueOf(extension), OctetString).buffer).toString('hex');
}

function readAuthorityKeyId(extension: RawExtension | undefined): string | null {
  if (!extension) {
    return null;
  }
  const value = AsnConvert.parse(valueOf(extension), AuthorityKeyIdentifier);

  return value.keyIdentifier ? Buffer.from(value.keyIdentifier.buffer).toString('hex') : null;
}
