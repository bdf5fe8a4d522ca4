// Reads a certificate back for specs of this library; production code never imports it.
import * as x509 from '@peculiar/x509';

/** The profile-relevant fields of a certificate, read with an independent parser. */
export interface ReadBackProfile {
  serial: string;
  subject: string;
  issuer: string;
  notBefore: number;
  notAfter: number;
  basicConstraints: { critical: boolean; ca: boolean; pathLength?: number } | null;
  keyUsage: { critical: boolean; usages: number } | null;
  extendedKeyUsages: string[];
  altNames: { critical: boolean; uris: string[]; dnsNames: string[]; ips: string[] } | null;
  subjectKeyId: string | null;
  authorityKeyId: string | null;
}

/** Key usage bits as @peculiar/x509 numbers them. */
export const USAGE = x509.KeyUsageFlags;

/** Parses `der` with @peculiar/x509 and collects the fields specs assert on. */
export function readBack(der: Buffer): ReadBackProfile {
  const cert = new x509.X509Certificate(der);
  const bc = cert.getExtension(x509.BasicConstraintsExtension);
  const ku = cert.getExtension(x509.KeyUsagesExtension);
  const eku = cert.getExtension(x509.ExtendedKeyUsageExtension);
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const names = san?.names.toJSON() ?? [];
  const of = (type: string) => names.filter((n) => n.type === type).map((n) => n.value);

  return {
    serial: cert.serialNumber.toLowerCase(),
    subject: cert.subject,
    issuer: cert.issuer,
    notBefore: cert.notBefore.getTime() / 1000,
    notAfter: cert.notAfter.getTime() / 1000,
    basicConstraints: bc ? { critical: bc.critical, ca: bc.ca, pathLength: bc.pathLength } : null,
    keyUsage: ku ? { critical: ku.critical, usages: ku.usages } : null,
    extendedKeyUsages: (eku?.usages ?? []).map(String),
    altNames: san
      ? { critical: san.critical, uris: of('url'), dnsNames: of('dns'), ips: of('ip') }
      : null,
    subjectKeyId: cert.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId ?? null,
    authorityKeyId: cert.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId ?? null,
  };
}
