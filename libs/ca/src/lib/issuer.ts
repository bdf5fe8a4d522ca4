import { certificateSha256, isRootSpiffeId, parseSpiffeId, toPemCertificates } from '@zen/identity';
import { sha256hex } from '@zen/hmac';

import { CaStateError, IssueError } from './errors';
import type { Signer } from './signer/signer';
import { buildCertificate } from './x509/certificate-builder';
import { readCertificateParts, type CertificateParts } from './x509/certificate-reader';
import {
  authorityKeyIdentifier,
  basicConstraints,
  keyUsage,
  subjectAltName,
  subjectKeyIdentifier,
  tlsExtendedKeyUsage,
  type CertificateExtension,
} from './x509/extensions';
import { EMPTY_NAME } from './x509/names';
import { writePem } from './x509/pem';
import { inspectPublicKey, isAllowedKeyType, type PublicKeyInfo } from './x509/public-key';
import { randomSerial, serialHex } from './x509/serial';

/** Input of {@link Issuer.issueSvid}. Times are Unix seconds. */
export interface IssueSvidParams {
  /** DER SubjectPublicKeyInfo of the holder's key (from a validated CSR). */
  publicKeySpki: Buffer;
  /** The SPIFFE ID decided by the caller (never read from a CSR); must be in the CA's domain. */
  spiffeId: string;
  ttlSeconds: number;
  nowSeconds: number;
  /** Extra DNS SANs for servers (`localhost`). */
  dnsNames?: string[];
  /** Extra IP SANs for servers (`127.0.0.1`). */
  ipAddresses?: string[];
}

/** An issued X.509-SVID. Times are Unix seconds; hashes and serial lowercase hex. */
export interface IssuedSvid {
  leafDer: Buffer;
  /** PEM of the leaf then the intermediates, the `svid_pem` of PROTOCOL.md. */
  chainPem: string;
  serial: string;
  certSha256: string;
  notBefore: number;
  notAfter: number;
  /** sha256hex of the SubjectPublicKeyInfo DER. */
  publicKeySha256: string;
}

/**
 * The one narrow issuance interface: callers hand over a key and an identity, never a
 * certificate template, so the encoder behind it can change freely.
 */
export interface Issuer {
  /**
   * Issues an SVID with the PROTOCOL.md X.509-SVID profile. Throws IssueError
   * `issue_request_invalid` (bad key, SPIFFE ID, TTL or SAN) or `issue_ca_expired`.
   */
  issueSvid(params: IssueSvidParams): Promise<IssuedSvid>;
}

/** The certificate that signs leaves, its signer, and the chain sent after the leaf. */
export interface SigningAuthority {
  trustDomain: string;
  /** DER of the certificate whose key signs leaves (the intermediate). */
  certificate: Buffer;
  /** DER of the certificates sent after the leaf, issuing certificate first; roots excluded. */
  chain: Buffer[];
  signer: Signer;
}

const BACKDATE_SECONDS = 60;

/** {@link Issuer} over a signing certificate and its {@link Signer}. */
export class CertificateIssuer implements Issuer {
  readonly #authority: SigningAuthority;
  readonly #parts: CertificateParts;
  readonly #keyIdentifier: Buffer;
  readonly #chainPem: string;
  readonly #fixedExtensions: CertificateExtension[];

  constructor(authority: SigningAuthority) {
    const parts = readCertificateParts(authority.certificate);
    if (!parts.subjectPublicKeySpki.equals(authority.signer.publicKeySpki())) {
      throw new CaStateError(
        'ca_state_invalid',
        'signer key does not match the issuing certificate',
      );
    }
    if (!parts.isCa || !parts.keyIdentifier) {
      throw new CaStateError('ca_state_invalid', 'issuing certificate is not a CA with a key id');
    }

    this.#authority = authority;
    this.#parts = parts;
    this.#keyIdentifier = parts.keyIdentifier;
    this.#chainPem = toPemCertificates(authority.chain);
    this.#fixedExtensions = [basicConstraints(false), tlsExtendedKeyUsage()];
  }

  /** Unix seconds after which this issuer refuses to issue. */
  get notAfter(): number {
    return this.#parts.notAfter;
  }

  async issueSvid(params: IssueSvidParams): Promise<IssuedSvid> {
    const spiffeId = this.#checkSpiffeId(params.spiffeId);
    const key = checkKey(params.publicKeySpki);
    checkTimes(params);
    if (params.nowSeconds >= this.#parts.notAfter) {
      throw new IssueError('issue_ca_expired', 'the issuing CA certificate has expired');
    }

    const notBefore = Math.max(params.nowSeconds - BACKDATE_SECONDS, this.#parts.notBefore);
    const notAfter = Math.min(params.nowSeconds + params.ttlSeconds, this.#parts.notAfter);
    const serial = randomSerial();
    const extensions = [
      this.#fixedExtensions[0],
      keyUsage(key.isRsa ? ['digitalSignature', 'keyEncipherment'] : ['digitalSignature']),
      this.#fixedExtensions[1],
      subjectKeyIdentifier(key.keyIdentifier),
      authorityKeyIdentifier(this.#keyIdentifier),
      // The subject is empty, so RFC 5280 4.2.1.6 makes the SAN extension critical.
      altNames(spiffeId, params),
    ];

    const leafDer = await buildCertificate(
      {
        serial,
        issuerName: this.#parts.subjectName,
        subjectName: EMPTY_NAME,
        notBefore,
        notAfter,
        subjectPublicKeySpki: params.publicKeySpki,
        extensions,
      },
      this.#authority.signer,
    );

    return {
      leafDer,
      chainPem: writePem('CERTIFICATE', leafDer) + this.#chainPem,
      serial: serialHex(serial),
      certSha256: certificateSha256(leafDer),
      notBefore,
      notAfter,
      publicKeySha256: sha256hex(params.publicKeySpki),
    };
  }

  #checkSpiffeId(input: string): string {
    let id;
    try {
      id = parseSpiffeId(input);
    } catch (error) {
      throw new IssueError('issue_request_invalid', 'spiffe id is not valid', { cause: error });
    }
    if (id.trustDomain !== this.#authority.trustDomain || isRootSpiffeId(id)) {
      throw new IssueError(
        'issue_request_invalid',
        `spiffe id ${id.uri} is not a workload id of trust domain ${this.#authority.trustDomain}`,
      );
    }

    return id.uri;
  }
}

function checkKey(spki: Buffer): PublicKeyInfo {
  let key: PublicKeyInfo;
  try {
    key = inspectPublicKey(spki);
  } catch (error) {
    throw new IssueError('issue_request_invalid', 'public key is not a valid SPKI', {
      cause: error,
    });
  }
  if (!isAllowedKeyType(key.keyType)) {
    throw new IssueError('issue_request_invalid', `public key type ${key.keyType} is not allowed`);
  }

  return key;
}

function checkTimes(params: IssueSvidParams): void {
  if (!Number.isSafeInteger(params.ttlSeconds) || params.ttlSeconds <= 0) {
    throw new IssueError('issue_request_invalid', 'ttl must be a positive whole number of seconds');
  }
  if (!Number.isSafeInteger(params.nowSeconds) || params.nowSeconds <= 0) {
    throw new IssueError('issue_request_invalid', 'now must be whole Unix seconds');
  }
}

function altNames(spiffeId: string, params: IssueSvidParams): CertificateExtension {
  try {
    return subjectAltName(
      { uris: [spiffeId], dnsNames: params.dnsNames, ipAddresses: params.ipAddresses },
      true,
    );
  } catch (error) {
    throw new IssueError('issue_request_invalid', 'a DNS or IP SAN is not valid', { cause: error });
  }
}
