import { formatSpiffeId } from '@zen/identity';

import type { Signer } from './signer/signer';
import { buildCertificate } from './x509/certificate-builder';
import { readCertificateParts } from './x509/certificate-reader';
import {
  authorityKeyIdentifier,
  basicConstraints,
  keyUsage,
  subjectAltName,
  subjectKeyIdentifier,
} from './x509/extensions';
import { caName } from './x509/names';
import { inspectPublicKey } from './x509/public-key';
import { randomSerial } from './x509/serial';

/** Inputs shared by root and intermediate creation. Times are Unix seconds. */
export interface CaCertificateParams {
  trustDomain: string;
  /** Common name of the subject; distinct per generation so chains never mix generations. */
  commonName: string;
  notBefore: number;
  notAfter: number;
  /** Signer holding the key the new certificate certifies. */
  signer: Signer;
}

/**
 * Creates a self-signed root: CA:true and keyCertSign + cRLSign (both critical), URI SAN
 * `spiffe://<trust domain>` without a path (SPIFFE X509-SVID 4.1), subject key identifier.
 */
export async function createRootCertificate(params: CaCertificateParams): Promise<Buffer> {
  const name = caName(params.commonName);
  const spki = params.signer.publicKeySpki();

  return buildCertificate(
    {
      serial: randomSerial(),
      issuerName: name,
      subjectName: name,
      notBefore: params.notBefore,
      notAfter: params.notAfter,
      subjectPublicKeySpki: spki,
      extensions: [
        basicConstraints(true),
        keyUsage(['keyCertSign', 'cRLSign']),
        subjectKeyIdentifier(inspectPublicKey(spki).keyIdentifier),
        subjectAltName({ uris: [trustDomainUri(params.trustDomain)] }, false),
      ],
    },
    params.signer,
  );
}

/**
 * Creates an intermediate signed by `root`: the root's rules plus pathLen 0 (it signs only
 * leaves) and an authority key identifier naming the root key. Its notAfter never passes the
 * root's.
 */
export async function createIntermediateCertificate(
  params: CaCertificateParams & { root: { der: Buffer; signer: Signer } },
): Promise<Buffer> {
  const root = readCertificateParts(params.root.der);
  const spki = params.signer.publicKeySpki();
  if (!root.keyIdentifier) throw new TypeError('root certificate has no subject key identifier');

  return buildCertificate(
    {
      serial: randomSerial(),
      issuerName: root.subjectName,
      subjectName: caName(params.commonName),
      notBefore: params.notBefore,
      notAfter: Math.min(params.notAfter, root.notAfter),
      subjectPublicKeySpki: spki,
      extensions: [
        basicConstraints(true, 0),
        keyUsage(['keyCertSign', 'cRLSign']),
        subjectKeyIdentifier(inspectPublicKey(spki).keyIdentifier),
        authorityKeyIdentifier(root.keyIdentifier),
        subjectAltName({ uris: [trustDomainUri(params.trustDomain)] }, false),
      ],
    },
    params.root.signer,
  );
}

function trustDomainUri(trustDomain: string): string {
  return formatSpiffeId({ trustDomain, path: '' });
}
