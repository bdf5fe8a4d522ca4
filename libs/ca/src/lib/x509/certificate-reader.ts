import { AsnConvert } from '@peculiar/asn1-schema';
import {
  BasicConstraints,
  Certificate,
  SubjectAlternativeName,
  SubjectKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_subjectAltName,
  id_ce_subjectKeyIdentifier,
} from '@peculiar/asn1-x509';

import { readDerChildren, readDerElement } from './der';

/** The parts of a CA certificate the issuer and the rotation logic rely on. */
export interface CertificateParts {
  /** Exact DER of the subject Name, to be copied as the issuer Name of certificates it signs. */
  subjectName: Buffer;
  /** Exact DER of the SubjectPublicKeyInfo. */
  subjectPublicKeySpki: Buffer;
  /** Unix seconds. */
  notBefore: number;
  /** Unix seconds. */
  notAfter: number;
  /** subjectKeyIdentifier value, or null when absent. */
  keyIdentifier: Buffer | null;
  isCa: boolean;
  uriSans: string[];
}

/** Reads a DER certificate; throws a plain Error when it does not parse. */
export function readCertificateParts(der: Buffer): CertificateParts {
  const outer = readDerElement(der, 0);
  const [tbs] = readDerChildren(der, outer);
  // version [0], serial, signature, issuer, validity, subject, subjectPublicKeyInfo, ...
  const fields = readDerChildren(der, tbs);
  const offset = fields[0]?.tag === 0xa0 ? 1 : 0;
  const subject = fields[offset + 4];
  const spki = fields[offset + 5];
  if (!subject || !spki) throw new Error('certificate is truncated');

  const certificate = AsnConvert.parse(der, Certificate);
  const extensions = certificate.tbsCertificate.extensions ?? [];
  const extension = (oid: string) => extensions.find((item) => item.extnID === oid)?.extnValue;
  const ski = extension(id_ce_subjectKeyIdentifier);
  const bc = extension(id_ce_basicConstraints);
  const san = extension(id_ce_subjectAltName);
  const validity = certificate.tbsCertificate.validity;

  return {
    subjectName: der.subarray(subject.start, subject.end),
    subjectPublicKeySpki: der.subarray(spki.start, spki.end),
    notBefore: Math.floor(validity.notBefore.getTime().getTime() / 1000),
    notAfter: Math.floor(validity.notAfter.getTime().getTime() / 1000),
    keyIdentifier: ski ? Buffer.from(AsnConvert.parse(ski, SubjectKeyIdentifier).buffer) : null,
    isCa: bc ? AsnConvert.parse(bc, BasicConstraints).cA : false,
    uriSans: san
      ? AsnConvert.parse(san, SubjectAlternativeName)
          .map((name) => name.uniformResourceIdentifier)
          .filter((uri): uri is string => uri !== undefined)
      : [],
  };
}
