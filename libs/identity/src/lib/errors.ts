/** Codes of {@link SpiffeIdError}: each names the SPIFFE-ID rule that failed. */
export type SpiffeIdErrorCode =
  | 'spiffe_id_empty'
  | 'spiffe_id_too_long'
  | 'spiffe_id_scheme'
  | 'spiffe_id_query'
  | 'spiffe_id_fragment'
  | 'spiffe_id_percent_encoding'
  | 'spiffe_id_userinfo'
  | 'spiffe_id_port'
  | 'spiffe_id_trust_domain_missing'
  | 'spiffe_id_trust_domain_chars'
  | 'spiffe_id_trust_domain_too_long'
  | 'spiffe_id_path_no_leading_slash'
  | 'spiffe_id_path_empty_segment'
  | 'spiffe_id_path_dot_segment'
  | 'spiffe_id_path_chars'
  | 'spiffe_id_trailing_slash';

/** Codes of {@link SvidError}: each names the X509-SVID rule that failed. */
export type SvidErrorCode =
  | 'svid_malformed'
  | 'svid_bundle_empty'
  | 'svid_no_uri_san'
  | 'svid_multiple_uri_sans'
  | 'svid_invalid_spiffe_id'
  | 'svid_leaf_no_path'
  | 'svid_leaf_is_ca'
  | 'svid_leaf_no_digital_signature'
  | 'svid_leaf_key_usage_not_critical'
  | 'svid_leaf_ext_key_usage'
  | 'svid_leaf_key_cert_sign'
  | 'svid_leaf_crl_sign'
  | 'svid_signing_cert_not_ca'
  | 'svid_signing_cert_no_key_cert_sign'
  | 'svid_signing_cert_has_path'
  | 'svid_signing_cert_invalid_spiffe_id'
  | 'svid_path_length_exceeded'
  | 'svid_unknown_critical_extension'
  | 'svid_untrusted'
  | 'svid_signature_invalid'
  | 'svid_expired'
  | 'svid_not_yet_valid'
  | 'svid_trust_domain_mismatch';

/** Codes of {@link CertificateEncodingError}. */
export type CertificateEncodingErrorCode = 'pem_malformed' | 'der_malformed';

/** Codes of {@link TrustBundleError}. */
export type TrustBundleErrorCode = 'trust_bundle_malformed' | 'trust_bundle_empty';

/** Every code this library throws. */
export type IdentityErrorCode =
  SpiffeIdErrorCode | SvidErrorCode | CertificateEncodingErrorCode | TrustBundleErrorCode;

/** Base class of every error of `@zen/identity`; `code` is stable, `reason` is human text. */
export abstract class IdentityError extends Error {
  abstract readonly code: IdentityErrorCode;

  constructor(
    message: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A string is not a SPIFFE ID (or trust domain name) per the SPIFFE-ID standard. */
export class SpiffeIdError extends IdentityError {
  constructor(
    readonly code: SpiffeIdErrorCode,
    reason: string,
    readonly input: string,
  ) {
    super(`invalid spiffe id ${quote(input)}: ${reason}`, reason);
  }
}

/** A certificate chain is not a valid X509-SVID for the given trust bundle. */
export class SvidError extends IdentityError {
  constructor(
    readonly code: SvidErrorCode,
    reason: string,
    options?: { cause?: unknown; spiffeId?: string },
  ) {
    super(`x509-svid rejected: ${reason}`, reason, options);
    this.spiffeId = options?.spiffeId;
  }

  /** The leaf SPIFFE ID, when it was read before the failure. */
  readonly spiffeId?: string;
}

/** PEM or DER certificate data cannot be decoded. */
export class CertificateEncodingError extends IdentityError {
  constructor(
    readonly code: CertificateEncodingErrorCode,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`certificate encoding invalid: ${reason}`, reason, options);
  }
}

/** A trust bundle cannot be read, or holds no usable root. */
export class TrustBundleError extends IdentityError {
  constructor(
    readonly code: TrustBundleErrorCode,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`trust bundle invalid: ${reason}`, reason, options);
  }
}

const QUOTED_INPUT_MAX_CHARS = 100;

// Inputs come from peers: JSON quoting escapes control characters, truncation bounds the size.
function quote(input: string): string {
  const shown =
    input.length > QUOTED_INPUT_MAX_CHARS ? `${input.slice(0, QUOTED_INPUT_MAX_CHARS)}...` : input;

  return JSON.stringify(shown);
}
