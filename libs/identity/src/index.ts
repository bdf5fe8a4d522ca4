// Errors

export {
  CertificateEncodingError,
  IdentityError,
  SpiffeIdError,
  SvidError,
  TrustBundleError,
} from './lib/errors';
export type {
  CertificateEncodingErrorCode,
  IdentityErrorCode,
  SpiffeIdErrorCode,
  SvidErrorCode,
  TrustBundleErrorCode,
} from './lib/errors';

// SPIFFE IDs

export {
  MAX_SPIFFE_ID_BYTES,
  MAX_TRUST_DOMAIN_BYTES,
  SPIFFE_SCHEME_PREFIX,
  formatSpiffeId,
  isRootSpiffeId,
  isSpiffeId,
  parseSpiffeId,
  parseTrustDomain,
  spiffeIdFromParts,
  spiffeIdSegments,
} from './lib/spiffe-id';
export type { SpiffeId } from './lib/spiffe-id';

// PEM and DER certificates

export {
  certificateSha256,
  isSingleDerSequence,
  parsePemCertificates,
  splitDerCertificates,
  toPemCertificates,
} from './lib/certificate-encoding';

// Trust bundles

export { createTrustBundle, trustBundleToDer, trustBundleToPem } from './lib/trust-bundle';
export type { TrustBundle } from './lib/trust-bundle';
export { parseTrustBundle } from './lib/parse-trust-bundle';
export {
  X509_SVID_KEY_USE,
  parseSpiffeBundleJson,
  trustBundleToSpiffeJson,
} from './lib/spiffe-bundle-json';
export type { SpiffeBundleDocument, SpiffeBundleKey } from './lib/spiffe-bundle-json';

// X509-SVIDs

export {
  CLIENT_AUTH_OID,
  MAX_PATH_CERTIFICATES,
  SERVER_AUTH_OID,
  verifyX509Svid,
} from './lib/x509-svid';
export type { VerifiedX509Svid, VerifyX509SvidParams } from './lib/x509-svid';
export { describePublicKey, readSvidProfile } from './lib/certificate-profile';
export type { CertificateProfile } from './lib/certificate-profile';
export type { KeyUsageBits } from './lib/certificate';
