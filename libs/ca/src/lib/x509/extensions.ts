import { isIP } from 'node:net';

import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AuthorityKeyIdentifier,
  BasicConstraints,
  ExtendedKeyUsage,
  Extension,
  Extensions,
  GeneralName,
  KeyIdentifier,
  KeyUsage,
  KeyUsageFlags,
  SubjectAlternativeName,
  SubjectKeyIdentifier,
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_ce_subjectAltName,
  id_ce_subjectKeyIdentifier,
  id_kp_clientAuth,
  id_kp_serverAuth,
} from '@peculiar/asn1-x509';

/** One certificate extension: its OID, criticality and the DER of its value. */
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

const DNS_LABEL = '[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const DNS_NAME = new RegExp(`^(\\*\\.)?${DNS_LABEL}(\\.${DNS_LABEL})*$`);
const MAX_DNS_NAME_LENGTH = 253;

/** basicConstraints, always critical (RFC 5280 4.2.1.9 for CAs; PROTOCOL.md for leaves). */
export function basicConstraints(ca: boolean, pathLength?: number): CertificateExtension {
  const value = new BasicConstraints({ cA: ca, pathLenConstraint: pathLength });

  return { oid: id_ce_basicConstraints, critical: true, value: serialize(value) };
}

/** keyUsage, always critical. */
export function keyUsage(usages: (keyof typeof KeyUsageFlags)[]): CertificateExtension {
  const flags = usages.reduce((all, usage) => all | KeyUsageFlags[usage], 0);

  return { oid: id_ce_keyUsage, critical: true, value: serialize(new KeyUsage(flags)) };
}

/** extKeyUsage serverAuth + clientAuth, not critical: every SVID is usable on both TLS sides. */
export function tlsExtendedKeyUsage(): CertificateExtension {
  const value = new ExtendedKeyUsage([id_kp_serverAuth, id_kp_clientAuth]);

  return { oid: id_ce_extKeyUsage, critical: false, value: serialize(value) };
}

/** subjectKeyIdentifier. */
export function subjectKeyIdentifier(keyIdentifier: Buffer): CertificateExtension {
  const value = new SubjectKeyIdentifier(toArrayBuffer(keyIdentifier));

  return { oid: id_ce_subjectKeyIdentifier, critical: false, value: serialize(value) };
}

/** authorityKeyIdentifier with the keyIdentifier form only. */
export function authorityKeyIdentifier(keyIdentifier: Buffer): CertificateExtension {
  const value = new AuthorityKeyIdentifier({
    keyIdentifier: new KeyIdentifier(toArrayBuffer(keyIdentifier)),
  });

  return { oid: id_ce_authorityKeyIdentifier, critical: false, value: serialize(value) };
}

/**
 * subjectAltName. It must be critical when the subject is empty (RFC 5280 4.2.1.6), which is
 * the case for every SVID this library issues. Throws a plain Error on a malformed DNS name or IP.
 */
export function subjectAltName(names: AltNames, critical: boolean): CertificateExtension {
  const generalNames: GeneralName[] = [];
  for (const uri of names.uris ?? []) {
    generalNames.push(new GeneralName({ uniformResourceIdentifier: uri }));
  }
  for (const dnsName of names.dnsNames ?? []) {
    if (dnsName.length > MAX_DNS_NAME_LENGTH || !DNS_NAME.test(dnsName)) {
      throw new Error('DNS name is not a valid host name');
    }
    generalNames.push(new GeneralName({ dNSName: dnsName.toLowerCase() }));
  }
  for (const ip of names.ipAddresses ?? []) {
    if (isIP(ip) === 0) throw new Error('IP address is not a valid IPv4 or IPv6 address');
    generalNames.push(new GeneralName({ iPAddress: ip }));
  }

  return {
    oid: id_ce_subjectAltName,
    critical,
    value: serialize(new SubjectAlternativeName(generalNames)),
  };
}

/** DER of the Extensions SEQUENCE holding `extensions` in order. */
export function encodeExtensions(extensions: CertificateExtension[]): Buffer {
  const items = extensions.map(
    (extension) =>
      new Extension({
        extnID: extension.oid,
        critical: extension.critical,
        extnValue: new OctetString(toArrayBuffer(extension.value)),
      }),
  );

  return serialize(new Extensions(items));
}

function serialize(value: object): Buffer {
  return Buffer.from(AsnConvert.serialize(value));
}

function toArrayBuffer(bytes: Buffer): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
