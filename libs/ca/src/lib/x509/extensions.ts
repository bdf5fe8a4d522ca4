import { isIP } from 'node:net';

import { encodeDer } from './der';

/** One certificate extension: its OID (dotted), criticality and the DER of its value. */
export interface CertificateExtension {
  oid: string;
  critical: boolean;
  value: Buffer;
}

/** The names of a subjectAltName extension. IP addresses are textual IPv4 or IPv6. */
export interface AltNames {
  uris?: string[];
  dnsNames?: string[];
  ipAddresses?: string[];
}

/** Key usage bits, named as in RFC 5280 4.2.1.3 (bit 0 = digitalSignature). */
export type KeyUsageName = 'digitalSignature' | 'keyEncipherment' | 'keyCertSign' | 'cRLSign';

// The extensions are a handful of fixed shapes, so they are written as DER directly: generic
// ASN.1 serialization cost more than the ECDSA signature on every issuance.
const OID_DER: Record<string, Buffer> = {
  '2.5.29.14': Buffer.from('0603551d0e', 'hex'), // subjectKeyIdentifier
  '2.5.29.15': Buffer.from('0603551d0f', 'hex'), // keyUsage
  '2.5.29.17': Buffer.from('0603551d11', 'hex'), // subjectAltName
  '2.5.29.19': Buffer.from('0603551d13', 'hex'), // basicConstraints
  '2.5.29.35': Buffer.from('0603551d23', 'hex'), // authorityKeyIdentifier
  '2.5.29.37': Buffer.from('0603551d25', 'hex'), // extKeyUsage
};
const KEY_USAGE_BITS: Record<KeyUsageName, number> = {
  digitalSignature: 0,
  keyEncipherment: 2,
  keyCertSign: 5,
  cRLSign: 6,
};
// SEQUENCE { id-kp-serverAuth, id-kp-clientAuth }
const TLS_EKU = Buffer.from('301406082b0601050507030106082b06010505070302', 'hex');
const CRITICAL = Buffer.from('0101ff', 'hex');
const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  SEQUENCE: 0x30,
  KEY_ID: 0x80,
  DNS_NAME: 0x82,
  URI: 0x86,
  IP_ADDRESS: 0x87,
} as const;
const DNS_LABEL = '[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const DNS_NAME = new RegExp(`^(\\*\\.)?${DNS_LABEL}(\\.${DNS_LABEL})*$`);
const MAX_DNS_NAME_LENGTH = 253;
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;

/** basicConstraints, always critical (RFC 5280 4.2.1.9 for CAs; PROTOCOL.md for leaves). */
export function basicConstraints(ca: boolean, pathLength?: number): CertificateExtension {
  // cA DEFAULT FALSE is omitted in DER, so a leaf's value is the empty SEQUENCE.
  const parts: Buffer[] = [];
  if (ca) parts.push(Buffer.from('0101ff', 'hex'));
  if (ca && pathLength !== undefined) parts.push(encodeDer(TAG.INTEGER, Buffer.from([pathLength])));

  return { oid: '2.5.29.19', critical: true, value: encodeDer(TAG.SEQUENCE, Buffer.concat(parts)) };
}

/** keyUsage, always critical; a named bit list without trailing zero bits, as DER requires. */
export function keyUsage(usages: KeyUsageName[]): CertificateExtension {
  const bits = usages.map((usage) => KEY_USAGE_BITS[usage]);
  const highest = Math.max(...bits);
  let byte = 0;
  for (const bit of bits) byte |= 0x80 >> bit;

  return {
    oid: '2.5.29.15',
    critical: true,
    value: encodeDer(TAG.BIT_STRING, Buffer.from([7 - highest, byte])),
  };
}

/** extKeyUsage serverAuth + clientAuth, not critical: every SVID is usable on both TLS sides. */
export function tlsExtendedKeyUsage(): CertificateExtension {
  return { oid: '2.5.29.37', critical: false, value: TLS_EKU };
}

/** subjectKeyIdentifier. */
export function subjectKeyIdentifier(keyIdentifier: Buffer): CertificateExtension {
  return { oid: '2.5.29.14', critical: false, value: encodeDer(TAG.OCTET_STRING, keyIdentifier) };
}

/** authorityKeyIdentifier with the keyIdentifier form only. */
export function authorityKeyIdentifier(keyIdentifier: Buffer): CertificateExtension {
  const value = encodeDer(TAG.SEQUENCE, encodeDer(TAG.KEY_ID, keyIdentifier));

  return { oid: '2.5.29.35', critical: false, value };
}

/**
 * subjectAltName. It must be critical when the subject is empty (RFC 5280 4.2.1.6), which is
 * the case for every SVID this library issues. Throws a plain Error on a malformed name.
 */
export function subjectAltName(names: AltNames, critical: boolean): CertificateExtension {
  const generalNames: Buffer[] = [];
  for (const uri of names.uris ?? []) {
    if (!PRINTABLE_ASCII.test(uri)) throw new Error('URI is not printable ASCII');
    generalNames.push(encodeDer(TAG.URI, Buffer.from(uri, 'ascii')));
  }
  for (const dnsName of names.dnsNames ?? []) {
    if (dnsName.length > MAX_DNS_NAME_LENGTH || !DNS_NAME.test(dnsName)) {
      throw new Error('DNS name is not a valid host name');
    }
    generalNames.push(encodeDer(TAG.DNS_NAME, Buffer.from(dnsName.toLowerCase(), 'ascii')));
  }
  for (const ip of names.ipAddresses ?? []) {
    generalNames.push(encodeDer(TAG.IP_ADDRESS, ipAddressBytes(ip)));
  }

  return {
    oid: '2.5.29.17',
    critical,
    value: encodeDer(TAG.SEQUENCE, Buffer.concat(generalNames)),
  };
}

/** DER of the Extensions SEQUENCE holding `extensions` in order. */
export function encodeExtensions(extensions: CertificateExtension[]): Buffer {
  const items = extensions.map((extension) => {
    const oid = OID_DER[extension.oid];
    if (!oid) throw new TypeError(`extension ${extension.oid} has no encoder`);
    const parts = [oid];
    if (extension.critical) parts.push(CRITICAL);
    parts.push(encodeDer(TAG.OCTET_STRING, extension.value));

    return encodeDer(TAG.SEQUENCE, Buffer.concat(parts));
  });

  return encodeDer(TAG.SEQUENCE, Buffer.concat(items));
}

/** The 4 or 16 network-order bytes of a textual IPv4 or IPv6 address. */
export function ipAddressBytes(ip: string): Buffer {
  const version = isIP(ip);
  if (version === 4) return Buffer.from(ip.split('.').map(Number));
  if (version !== 6) throw new Error('IP address is not a valid IPv4 or IPv6 address');

  // An IPv4 tail (::ffff:1.2.3.4) becomes two 16-bit groups before expansion.
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  const text = v4
    ? ip.slice(0, v4.index) +
      [(+v4[1] << 8) | +v4[2], (+v4[3] << 8) | +v4[4]].map((n) => n.toString(16)).join(':')
    : ip;
  const [head, tail] = text.split('::');
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const missing = 8 - groups(head).length - groups(tail).length;
  const all =
    tail === undefined
      ? groups(head)
      : [...groups(head), ...Array<string>(missing).fill('0'), ...groups(tail)];
  const bytes = Buffer.alloc(16);
  all.forEach((group, index) => bytes.writeUInt16BE(parseInt(group, 16), index * 2));

  return bytes;
}
