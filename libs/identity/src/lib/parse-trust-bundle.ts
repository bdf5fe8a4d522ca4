import { parsePemCertificates, splitDerCertificates } from './certificate-encoding';
import { CertificateEncodingError, TrustBundleError } from './errors';
import { parseSpiffeBundleJson } from './spiffe-bundle-json';
import { parseTrustDomain } from './spiffe-id';
import { createTrustBundle, TrustBundle } from './trust-bundle';

/**
 * Reads a trust bundle from PEM, concatenated DER or SPIFFE bundle JSON, detected from the
 * data: JSON starts with `{`, PEM holds `-----BEGIN`, anything else must be DER. Every root must
 * parse as an X.509 certificate; PEM and DER must hold at least one. Throws
 * {@link TrustBundleError} (`trust_bundle_malformed`, `trust_bundle_empty`) or
 * {@link SpiffeIdError} for a bad trust domain name.
 */
export function parseTrustBundle(data: Buffer | string, trustDomain: string): TrustBundle {
  const name = parseTrustDomain(trustDomain);
  const text = typeof data === 'string' ? data : isDerStart(data) ? null : data.toString('utf8');

  if (text !== null && text.trimStart().startsWith('{')) {
    return parseSpiffeBundleJson(text, name);
  }

  if (text !== null && text.includes('-----BEGIN')) {
    return fromRoots(
      name,
      decode(() => parsePemCertificates(text)),
    );
  }

  if (text !== null || typeof data === 'string') {
    throw new TrustBundleError(
      'trust_bundle_malformed',
      'data is neither pem, der nor spiffe json',
    );
  }

  return fromRoots(
    name,
    decode(() => splitDerCertificates(data)),
  );
}

function fromRoots(trustDomain: string, roots: Buffer[]): TrustBundle {
  if (roots.length === 0) {
    throw new TrustBundleError('trust_bundle_empty', 'bundle holds no certificate');
  }

  return createTrustBundle({ trustDomain, roots });
}

function decode(action: () => Buffer[]): Buffer[] {
  try {
    return action();
  } catch (err) {
    if (err instanceof CertificateEncodingError) {
      throw new TrustBundleError('trust_bundle_malformed', err.reason, { cause: err });
    }
    throw err;
  }
}

// Every DER certificate starts with the SEQUENCE tag 0x30 ('0'), which begins neither JSON nor
// a PEM file; an empty buffer goes down the DER path and is reported as holding no certificate.
function isDerStart(data: Buffer): boolean {
  return data.length === 0 || data[0] === 0x30;
}
