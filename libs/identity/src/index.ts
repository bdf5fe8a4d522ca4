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
