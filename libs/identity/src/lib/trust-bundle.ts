import { X509Certificate } from 'node:crypto';

import { toPemCertificates } from './certificate-encoding';
import { TrustBundleError } from './errors';
import { parseTrustDomain } from './spiffe-id';

/** The X.509 roots of one trust domain, with the SPIFFE bundle sequence and refresh hint. */
export interface TrustBundle {
  trustDomain: string;
  /** DER of each root certificate, in bundle order, without duplicates. */
  roots: Buffer[];
  /** `spiffe_sequence`; `0` when the source format carries none (PEM, DER). */
  sequence: number;
  /** `spiffe_refresh_hint` in seconds, when known. */
  refreshHintSeconds?: number;
}

/** The bundle's roots as concatenated `CERTIFICATE` PEM blocks (what `bundle_pem` carries). */
export function trustBundleToPem(bundle: TrustBundle): string {
  return toPemCertificates(bundle.roots);
}

/** The bundle's roots as concatenated DER. */
export function trustBundleToDer(bundle: TrustBundle): Buffer {
  return Buffer.concat(bundle.roots);
}

/**
 * Builds a trust bundle after validating it: the trust domain name is parsed, every root must
 * parse as X.509, exact duplicates are dropped; `sequence` defaults to `0`. An empty root list
 * is allowed (a SPIFFE bundle may carry no X.509 authority). Throws {@link TrustBundleError}
 * `trust_bundle_malformed` or {@link SpiffeIdError}.
 */
export function createTrustBundle(params: {
  trustDomain: string;
  roots: Buffer[];
  sequence?: number;
  refreshHintSeconds?: number;
}): TrustBundle {
  const sequence = params.sequence ?? 0;
  if (!Number.isSafeInteger(sequence) || sequence < 0) {
    throw new TrustBundleError('trust_bundle_malformed', 'sequence is not a non-negative integer');
  }
  const hint = params.refreshHintSeconds;
  if (hint !== undefined && (!Number.isSafeInteger(hint) || hint < 0)) {
    throw new TrustBundleError('trust_bundle_malformed', 'refresh hint is not a whole number');
  }

  const bundle: TrustBundle = {
    trustDomain: parseTrustDomain(params.trustDomain),
    roots: normaliseRoots(params.roots),
    sequence,
  };
  if (hint !== undefined) {
    bundle.refreshHintSeconds = hint;
  }

  return bundle;
}

// Keeps the first occurrence of each root, so bundle order (and so chain preference) is stable.
function normaliseRoots(roots: Buffer[]): Buffer[] {
  const unique: Buffer[] = [];
  for (const [index, der] of roots.entries()) {
    assertCertificate(der, index);
    if (!unique.some((kept) => kept.equals(der))) {
      unique.push(der);
    }
  }

  return unique;
}

function assertCertificate(der: Buffer, index: number): void {
  try {
    new X509Certificate(der);
  } catch (err) {
    throw new TrustBundleError('trust_bundle_malformed', `root ${index} is not a certificate`, {
      cause: err,
    });
  }
}
