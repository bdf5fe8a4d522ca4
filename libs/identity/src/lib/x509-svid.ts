import { decodeCertificate, DecodedCertificate, formatNameDer } from './certificate';
import { SpiffeIdError, SvidError, SvidErrorCode } from './errors';
import { parseSpiffeId, SpiffeId } from './spiffe-id';
import { TrustBundle } from './trust-bundle';

/** Input of {@link verifyX509Svid}. */
export interface VerifyX509SvidParams {
  /** Leaf first, then the intermediates the peer sent, DER. */
  chain: Buffer[];
  /** Roots of the expected trust domain. */
  bundle: TrustBundle;
  /** The verification time in ms; defaults to `Date.now()`. */
  atMs?: number;
}

/** A verified X509-SVID. */
export interface VerifiedX509Svid {
  spiffeId: SpiffeId;
  leaf: Buffer;
  /** Lowercase hex of the positive serial, no leading `00`. */
  serial: string;
  notAfterMs: number;
  /** The certification path used, leaf first and the bundle root last. */
  path: Buffer[];
}

/** id-kp-serverAuth, which a leaf's extKeyUsage must hold if present (X509-SVID 4.4). */
export const SERVER_AUTH_OID = '1.3.6.1.5.5.7.3.1';

/** id-kp-clientAuth, which a leaf's extKeyUsage must hold if present (X509-SVID 4.4). */
export const CLIENT_AUTH_OID = '1.3.6.1.5.5.7.3.2';

/** The longest certification path searched, leaf and root included. */
export const MAX_PATH_CERTIFICATES = 10;

type Failure = { code: SvidErrorCode; reason: string };

/**
 * Verifies an X509-SVID synchronously per the SPIFFE X509-SVID standard (sections 2 to 5):
 * leaf checks (exactly one URI SAN holding a SPIFFE ID with a non-root path; CA false;
 * critical keyUsage with digitalSignature and without keyCertSign/cRLSign; extKeyUsage, when
 * present, with serverAuth and clientAuth), the leaf trust domain equals the bundle's, then an
 * RFC 5280 path from the leaf through the given intermediates to a bundle root, where every
 * signing certificate is CA with keyCertSign and a path-less SPIFFE ID (if any), signatures
 * verify, every certificate is valid at `atMs`, path lengths hold and no unknown extension is
 * critical. basicConstraints and keyUsage are read from the DER, so a certificate OpenSSL
 * would accept is still refused when the standard forbids it. Throws {@link SvidError}.
 */
export function verifyX509Svid(params: VerifyX509SvidParams): VerifiedX509Svid {
  const atMs = params.atMs ?? Date.now();
  if (!Array.isArray(params.chain) || params.chain.length === 0) {
    throw new SvidError('svid_malformed', 'certificate chain is empty');
  }

  if (params.bundle.roots.length === 0) {
    throw new SvidError('svid_bundle_empty', `bundle of ${params.bundle.trustDomain} has no root`);
  }

  const leaf = decodeCertificate(params.chain[0]);
  const spiffeId = readLeafSpiffeId(leaf);
  const fail = (failure: Failure): never => {
    throw new SvidError(failure.code, failure.reason, { spiffeId: spiffeId.uri });
  };
  const leafFailure = checkLeafProfile(leaf) ?? checkValidity(leaf, atMs, 'leaf');
  if (leafFailure) {
    fail(leafFailure);
  }

  if (spiffeId.trustDomain !== params.bundle.trustDomain) {
    fail({
      code: 'svid_trust_domain_mismatch',
      reason: `leaf trust domain ${spiffeId.trustDomain} is not ${params.bundle.trustDomain}`,
    });
  }

  const search = new PathSearch(
    params.chain.slice(1).map(decodeCertificate),
    params.bundle.roots.map(decodeCertificate),
    atMs,
  );
  const path = search.find(leaf) ?? fail(search.failure());

  return {
    spiffeId,
    leaf: Buffer.from(leaf.der),
    serial: leaf.serial,
    notAfterMs: leaf.notAfterMs,
    path: path.map((cert) => Buffer.from(cert.der)),
  };
}

// X509-SVID section 2: exactly one URI SAN; section 3.1: it has a non-root path.
function readLeafSpiffeId(leaf: DecodedCertificate): SpiffeId {
  if (leaf.uriSans.length === 0) {
    throw new SvidError('svid_no_uri_san', 'leaf has no uri san');
  }
  if (leaf.uriSans.length > 1) {
    throw new SvidError('svid_multiple_uri_sans', `leaf has ${leaf.uriSans.length} uri sans`);
  }

  const spiffeId = parseUriSan(leaf.uriSans[0]);
  if (spiffeId.path === '') {
    throw new SvidError('svid_leaf_no_path', 'leaf spiffe id has no path', {
      spiffeId: spiffeId.uri,
    });
  }

  return spiffeId;
}

function parseUriSan(uri: string): SpiffeId {
  try {
    return parseSpiffeId(uri);
  } catch (err) {
    const reason = err instanceof SpiffeIdError ? err.reason : 'unreadable';
    throw new SvidError('svid_invalid_spiffe_id', `leaf uri san is not a spiffe id: ${reason}`, {
      cause: err,
    });
  }
}

// X509-SVID sections 4.1, 4.3, 4.4 and 5.2.
function checkLeafProfile(leaf: DecodedCertificate): Failure | null {
  const keyUsage = leaf.keyUsage;
  if (leaf.basicConstraints?.ca) {
    return { code: 'svid_leaf_is_ca', reason: 'leaf has basicConstraints CA true' };
  }
  if (keyUsage?.bits.keyCertSign) {
    return { code: 'svid_leaf_key_cert_sign', reason: 'leaf keyUsage has keyCertSign' };
  }
  if (keyUsage?.bits.cRLSign) {
    return { code: 'svid_leaf_crl_sign', reason: 'leaf keyUsage has cRLSign' };
  }
  if (!keyUsage?.bits.digitalSignature) {
    return { code: 'svid_leaf_no_digital_signature', reason: 'leaf lacks digitalSignature' };
  }
  if (!keyUsage.critical) {
    return { code: 'svid_leaf_key_usage_not_critical', reason: 'leaf keyUsage is not critical' };
  }

  const eku = leaf.extKeyUsage;
  if (eku.length > 0 && !(eku.includes(SERVER_AUTH_OID) && eku.includes(CLIENT_AUTH_OID))) {
    return { code: 'svid_leaf_ext_key_usage', reason: 'leaf extKeyUsage lacks server or client' };
  }

  return checkCriticalExtensions(leaf, 'leaf');
}

// X509-SVID sections 3.2, 4.1 and 4.3; `below` counts the CA certificates under this one.
function checkSigningCertificate(cert: DecodedCertificate, below: number): Failure | null {
  const who = new SignerName(cert);
  if (!cert.basicConstraints?.ca) {
    return { code: 'svid_signing_cert_not_ca', reason: `${who} is not a CA` };
  }
  if (!cert.keyUsage?.bits.keyCertSign) {
    return { code: 'svid_signing_cert_no_key_cert_sign', reason: `${who} lacks keyCertSign` };
  }

  const pathLength = cert.basicConstraints.pathLenConstraint;
  if (pathLength !== null && below > pathLength) {
    return { code: 'svid_path_length_exceeded', reason: `${who} allows ${pathLength} below it` };
  }

  return checkSigningSpiffeIds(cert, who) ?? checkCriticalExtensions(cert, who);
}

function checkSigningSpiffeIds(cert: DecodedCertificate, who: SignerName): Failure | null {
  for (const uri of cert.uriSans.filter((san) => san.toLowerCase().startsWith('spiffe:'))) {
    let id: SpiffeId;
    try {
      id = parseSpiffeId(uri);
    } catch {
      return { code: 'svid_signing_cert_invalid_spiffe_id', reason: `${who} has a bad spiffe id` };
    }
    if (id.path !== '') {
      return { code: 'svid_signing_cert_has_path', reason: `${who} spiffe id has a path` };
    }
  }

  return null;
}

// RFC 5280 section 4.2: a critical extension the verifier does not process fails the path.
function checkCriticalExtensions(
  cert: DecodedCertificate,
  who: string | SignerName,
): Failure | null {
  if (cert.unknownCriticalExtensions.length === 0) {
    return null;
  }

  return {
    code: 'svid_unknown_critical_extension',
    reason: `${who} has critical extension ${cert.unknownCriticalExtensions.join(', ')}`,
  };
}

function checkValidity(
  cert: DecodedCertificate,
  atMs: number,
  who: string | SignerName,
): Failure | null {
  if (atMs < cert.notBeforeMs) {
    return { code: 'svid_not_yet_valid', reason: `${who} is not valid before its notBefore` };
  }
  if (atMs > cert.notAfterMs) {
    return { code: 'svid_expired', reason: `${who} expired` };
  }

  return null;
}

/** Depth-first search for a path to a bundle root; keeps the first failure for reporting. */
class PathSearch {
  private firstFailure: Failure | null = null;

  constructor(
    private readonly intermediates: DecodedCertificate[],
    private readonly roots: DecodedCertificate[],
    private readonly atMs: number,
  ) {}

  find(leaf: DecodedCertificate): DecodedCertificate[] | null {
    return this.extend([leaf]);
  }

  failure(): Failure {
    return this.firstFailure ?? { code: 'svid_untrusted', reason: 'no path to a bundle root' };
  }

  private extend(path: DecodedCertificate[]): DecodedCertificate[] | null {
    const child = path[path.length - 1];
    for (const issuer of this.candidatesFor(child, path)) {
      const failure = this.checkLink(child, issuer, path.length - 1);
      if (failure) {
        this.firstFailure ??= failure;
        continue;
      }
      if (this.roots.includes(issuer)) {
        return [...path, issuer];
      }
      if (path.length + 1 < MAX_PATH_CERTIFICATES) {
        const found = this.extend([...path, issuer]);
        if (found) {
          return found;
        }
      }
    }

    return null;
  }

  // Roots first, so the shortest path wins; the key identifiers, when both are present, rule
  // out issuers that merely share a name (CA generations of one trust domain).
  private candidatesFor(child: DecodedCertificate, path: DecodedCertificate[]) {
    return [...this.roots, ...this.intermediates].filter(
      (issuer) =>
        !path.includes(issuer) &&
        issuer.subjectDer.equals(child.issuerDer) &&
        (child.authorityKeyId === null ||
          issuer.subjectKeyId === null ||
          child.authorityKeyId === issuer.subjectKeyId),
    );
  }

  private checkLink(child: DecodedCertificate, issuer: DecodedCertificate, below: number) {
    if (!verifySignature(child, issuer)) {
      return {
        code: 'svid_signature_invalid',
        reason: `signature does not verify with the key of ${new SignerName(issuer)}`,
      } satisfies Failure;
    }

    return (
      checkSigningCertificate(issuer, below) ??
      checkValidity(issuer, this.atMs, new SignerName(issuer))
    );
  }
}

function verifySignature(child: DecodedCertificate, issuer: DecodedCertificate): boolean {
  try {
    return child.node.verify(issuer.node.publicKey);
  } catch {
    return false;
  }
}

// Formatting a name costs a schema parse, so it happens only when a failure message needs it.
class SignerName {
  constructor(private readonly cert: DecodedCertificate) {}

  toString(): string {
    return `signing certificate ${formatNameDer(this.cert.subjectDer) || this.cert.sha256}`;
  }
}
