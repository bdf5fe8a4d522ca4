import { KeyObject } from 'node:crypto';

import { decodeCertificate, formatNameDer, KeyUsageBits } from './certificate';
import { isSpiffeId } from './spiffe-id';

/** What `readSvidProfile` reports about one certificate; plain data, safe to print as JSON. */
export interface CertificateProfile {
  /** The single URI SAN when it is a valid SPIFFE ID, else `null`. */
  spiffeId: string | null;
  uriSans: string[];
  dnsSans: string[];
  ipSans: string[];
  /** Lowercase hex of the positive serial, no leading `00`. */
  serial: string;
  /** Lowercase hex SHA-256 of the DER. */
  sha256: string;
  notBeforeMs: number;
  notAfterMs: number;
  isCa: boolean;
  pathLenConstraint: number | null;
  basicConstraintsCritical: boolean;
  /** `null` when the certificate has no keyUsage extension. */
  keyUsage: KeyUsageBits | null;
  keyUsageCritical: boolean;
  /** Extended key usage OIDs, e.g. `1.3.6.1.5.5.7.3.1` (serverAuth). */
  extKeyUsage: string[];
  /** `'EC P-256'`, `'EC P-384'`, `'RSA 2048'`, `'Ed25519'`, ... */
  publicKeyType: string;
  /** RFC 4514 strings, e.g. `CN=zen.mesh root,O=Zen Mesh`. */
  subject: string;
  issuer: string;
  subjectKeyId: string | null;
  authorityKeyId: string | null;
  criticalExtensions: string[];
}

const CURVE_NAMES: Record<string, string> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
};

/**
 * Reads the SVID-relevant fields of a DER certificate without judging them, for inspection
 * (`zenctl svid inspect`). basicConstraints and keyUsage come from the DER, not from Node's
 * `X509Certificate`. Throws {@link SvidError} `svid_malformed`.
 */
export function readSvidProfile(der: Buffer): CertificateProfile {
  const cert = decodeCertificate(der);
  const single = cert.uriSans.length === 1 ? cert.uriSans[0] : null;

  return {
    spiffeId: single !== null && isSpiffeId(single) ? single : null,
    uriSans: [...cert.uriSans],
    dnsSans: [...cert.dnsSans],
    ipSans: [...cert.ipSans],
    serial: cert.serial,
    sha256: cert.sha256,
    notBeforeMs: cert.notBeforeMs,
    notAfterMs: cert.notAfterMs,
    isCa: cert.basicConstraints?.ca ?? false,
    pathLenConstraint: cert.basicConstraints?.pathLenConstraint ?? null,
    basicConstraintsCritical: cert.basicConstraints?.critical ?? false,
    keyUsage: cert.keyUsage ? { ...cert.keyUsage.bits } : null,
    keyUsageCritical: cert.keyUsage?.critical ?? false,
    extKeyUsage: [...cert.extKeyUsage],
    publicKeyType: describePublicKey(cert.node.publicKey),
    subject: formatNameDer(cert.subjectDer),
    issuer: formatNameDer(cert.issuerDer),
    subjectKeyId: cert.subjectKeyId,
    authorityKeyId: cert.authorityKeyId,
    criticalExtensions: [...cert.criticalExtensions],
  };
}

/** Names a public key the way operators read it: `'EC P-256'`, `'RSA 2048'`, `'Ed25519'`. */
export function describePublicKey(key: KeyObject): string {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'ec':
      return `EC ${CURVE_NAMES[details.namedCurve ?? ''] ?? details.namedCurve ?? 'unknown'}`;
    case 'rsa':
      return `RSA ${details.modulusLength}`;
    case 'rsa-pss':
      return `RSA-PSS ${details.modulusLength}`;
    case 'ed25519':
      return 'Ed25519';
    case 'ed448':
      return 'Ed448';
    default:
      return key.asymmetricKeyType ?? 'unknown';
  }
}
