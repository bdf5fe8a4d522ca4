import { JsonWebKey, X509Certificate } from 'node:crypto';

import { isSingleDerSequence } from './certificate-encoding';
import { TrustBundleError } from './errors';
import { createTrustBundle, TrustBundle } from './trust-bundle';

/** The `use` of JWK entries that carry X.509-SVID authorities (X509-SVID section 6). */
export const X509_SVID_KEY_USE = 'x509-svid';

/** One JWK entry of a SPIFFE bundle; entries of other uses (e.g. `jwt-svid`) pass through. */
export interface SpiffeBundleKey {
  use: string;
  kty: string;
  crv?: string;
  x?: string;
  y?: string;
  n?: string;
  e?: string;
  /** Exactly one standard-base64 DER certificate for `x509-svid` entries. */
  x5c?: string[];
}

/** A SPIFFE bundle document (SPIFFE Trust Domain and Bundle, section 4): a JWK Set. */
export interface SpiffeBundleDocument {
  keys: SpiffeBundleKey[];
  spiffe_sequence?: number;
  /** Seconds. */
  spiffe_refresh_hint?: number;
}

const JWK_KEY_PARAMETERS = ['kty', 'crv', 'x', 'y', 'n', 'e'] as const;
const STANDARD_BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Renders a trust bundle as a SPIFFE bundle JSON document: one `x509-svid` JWK per root with
 * `x5c` and the key parameters (`kty`/`crv`/`x`/`y` for EC, `kty`/`n`/`e` for RSA) derived
 * from the root's public key, no `kid` (X509-SVID section 6.1), plus `spiffe_sequence` and,
 * when known, `spiffe_refresh_hint`.
 */
export function trustBundleToSpiffeJson(bundle: TrustBundle): SpiffeBundleDocument {
  const keys = bundle.roots.map((der) => {
    const { kty = '', ...parameters } = publicJwkOf(new X509Certificate(der));

    return { use: X509_SVID_KEY_USE, kty, ...parameters, x5c: [der.toString('base64')] };
  });
  const document: SpiffeBundleDocument = { keys, spiffe_sequence: bundle.sequence };
  if (bundle.refreshHintSeconds !== undefined) {
    document.spiffe_refresh_hint = bundle.refreshHintSeconds;
  }

  return document;
}

/**
 * Reads a SPIFFE bundle JSON document (text or parsed object). Uses the `x509-svid` entries,
 * each of which must hold exactly one `x5c` certificate whose key matches the entry's JWK
 * parameters; entries of other uses are ignored, an entry without `use` is refused. Throws
 * {@link TrustBundleError} `trust_bundle_malformed` or {@link SpiffeIdError}.
 */
export function parseSpiffeBundleJson(json: string | object, trustDomain: string): TrustBundle {
  const document = typeof json === 'string' ? parseJson(json) : json;
  if (!isRecord(document) || !Array.isArray(document.keys)) {
    throw malformed('document is not a jwk set with a keys array');
  }

  const roots = document.keys.flatMap((entry, index) => rootOf(entry, index));

  return createTrustBundle({
    trustDomain,
    roots,
    sequence: optionalCount(document.spiffe_sequence, 'spiffe_sequence'),
    refreshHintSeconds: optionalCount(document.spiffe_refresh_hint, 'spiffe_refresh_hint'),
  });
}

function rootOf(entry: unknown, index: number): Buffer[] {
  if (!isRecord(entry) || typeof entry.use !== 'string') {
    throw malformed(`key ${index} has no use`);
  }
  if (entry.use !== X509_SVID_KEY_USE) {
    return [];
  }

  // X509-SVID section 6.1 requires exactly one certificate; like go-spiffe, anything else is
  // refused rather than silently reduced to its first element.
  const x5c = entry.x5c;
  if (!Array.isArray(x5c) || x5c.length !== 1 || typeof x5c[0] !== 'string') {
    throw malformed(`x509-svid key ${index} must have exactly one x5c certificate`);
  }
  const der = decodeCertificate(x5c[0], index);
  assertJwkMatches(entry, der, index);

  return [der];
}

function decodeCertificate(base64: string, index: number): Buffer {
  const der = STANDARD_BASE64.test(base64) ? Buffer.from(base64, 'base64') : Buffer.alloc(0);
  if (!isSingleDerSequence(der)) {
    throw malformed(`x509-svid key ${index} x5c is not a base64 der certificate`);
  }

  return der;
}

function assertJwkMatches(entry: Record<string, unknown>, der: Buffer, index: number): void {
  let jwk: JsonWebKey;
  try {
    jwk = publicJwkOf(new X509Certificate(der));
  } catch (err) {
    throw new TrustBundleError('trust_bundle_malformed', `x509-svid key ${index} x5c unreadable`, {
      cause: err,
    });
  }

  for (const parameter of JWK_KEY_PARAMETERS) {
    if (entry[parameter] !== undefined && entry[parameter] !== jwk[parameter]) {
      throw malformed(`x509-svid key ${index} ${parameter} does not match its certificate`);
    }
  }
}

function publicJwkOf(certificate: X509Certificate): JsonWebKey {
  const jwk = certificate.publicKey.export({ format: 'jwk' });

  return Object.fromEntries(
    JWK_KEY_PARAMETERS.filter((name) => jwk[name] !== undefined).map((name) => [name, jwk[name]]),
  );
}

function optionalCount(value: unknown, field: string): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw malformed(`${field} is not a non-negative integer`);
  }

  return value;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new TrustBundleError('trust_bundle_malformed', 'document is not json', { cause: err });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function malformed(reason: string): TrustBundleError {
  return new TrustBundleError('trust_bundle_malformed', reason);
}
