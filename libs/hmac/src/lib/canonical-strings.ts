import { sha256hex } from './digest';
import { HmacInputError } from './errors';

/** Domain separation label of the bootstrap bundle MAC (PROTOCOL.md "Trust bootstrap"). */
export const BUNDLE_MAC_LABEL = 'zen-bundle-v1';
/** Domain separation label of the enrollment MAC (PROTOCOL.md "Enrollment"). */
export const ENROLL_MAC_LABEL = 'zen-enroll-v1';
/** Domain separation label of signed requests (PROTOCOL.md "Signed requests"). */
export const REQUEST_SIGNING_LABEL = 'zen-req-v1';
/** Domain separation label of the recovery MAC (PROTOCOL.md "Renewal and rotation"). */
export const RECOVER_MAC_LABEL = 'zen-recover-v1';

/** Inputs of {@link bundleMacString}. */
export interface BundleMacParams {
  tokenId: string;
  bundlePem: string;
}

/** Inputs of {@link enrollMacString}; `csrDer` is the DER of the CSR, not its PEM. */
export interface EnrollMacParams {
  tokenId: string;
  nonce: string;
  timestamp: number | string;
  csrDer: Buffer;
}

/** Inputs of {@link requestSigningString}; `body` is the raw request body (empty when none). */
export interface RequestSigningParams {
  method: string;
  pathAndQuery: string;
  timestamp: number | string;
  nonce: string;
  body: Buffer;
}

/** Inputs of {@link recoverMacString}; both certificates are DER. */
export interface RecoverMacParams {
  spiffeId: string;
  timestamp: number | string;
  expiredLeafDer: Buffer;
  csrDer: Buffer;
}

/**
 * The string under the bootstrap bundle MAC:
 * `"zen-bundle-v1\n" + token_id + "\n" + sha256hex(bundle_pem)` (PROTOCOL.md "Trust bootstrap").
 * `bundlePem` is hashed as its UTF-8 bytes exactly as sent. Throws `hmac_input_invalid`.
 */
export function bundleMacString(p: BundleMacParams): string {
  return joinFields([BUNDLE_MAC_LABEL, field('tokenId', p.tokenId), sha256hex(p.bundlePem)]);
}

/**
 * The string under the enrollment MAC: `"zen-enroll-v1\n" + token_id + "\n" + nonce + "\n" +
 * timestamp + "\n" + sha256hex(csr_der)` (PROTOCOL.md "Enrollment", step 3).
 * Throws `hmac_input_invalid`.
 */
export function enrollMacString(p: EnrollMacParams): string {
  return joinFields([
    ENROLL_MAC_LABEL,
    field('tokenId', p.tokenId),
    field('nonce', p.nonce),
    timestampField(p.timestamp),
    sha256hex(p.csrDer),
  ]);
}

/**
 * The string under `Zen-Signature`: `"zen-req-v1\n" + METHOD + "\n" + path_and_query + "\n" +
 * timestamp + "\n" + nonce + "\n" + sha256hex(body)` (PROTOCOL.md "Signed requests").
 * The method and request target are used exactly as sent on the request line; an empty body
 * hashes as zero bytes. The enrollment confirmation (`POST /v1/enroll/confirm`) is a signed
 * request, so it uses this string too; there is no separate confirm string.
 * Throws `hmac_input_invalid`.
 */
export function requestSigningString(p: RequestSigningParams): string {
  return joinFields([
    REQUEST_SIGNING_LABEL,
    field('method', p.method),
    field('pathAndQuery', p.pathAndQuery),
    timestampField(p.timestamp),
    field('nonce', p.nonce),
    sha256hex(p.body),
  ]);
}

/**
 * The string under the recovery MAC: `"zen-recover-v1\n" + spiffe_id + "\n" + timestamp +
 * "\n" + sha256hex(expired_leaf_der) + "\n" + sha256hex(csr_der)` (PROTOCOL.md "Renewal and
 * rotation"). Throws `hmac_input_invalid`.
 */
export function recoverMacString(p: RecoverMacParams): string {
  return joinFields([
    RECOVER_MAC_LABEL,
    field('spiffeId', p.spiffeId),
    timestampField(p.timestamp),
    sha256hex(p.expiredLeafDer),
    sha256hex(p.csrDer),
  ]);
}

/** Fields are joined by a single "\n" with no trailing newline (PROTOCOL.md "Conventions"). */
function joinFields(fields: string[]): string {
  return fields.join('\n');
}

/**
 * A field that holds the separator would let two different inputs produce the same string,
 * so it is refused rather than signed.
 */
function field(name: string, value: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new HmacInputError(name, 'must be a non-empty string');
  }
  if (/[\r\n]/.test(value)) {
    throw new HmacInputError(name, 'must not contain a line break');
  }

  return value;
}

/**
 * Timestamps are integer Unix seconds; a string form must be the plain decimal spelling so
 * that both sides put the same bytes under the MAC.
 */
function timestampField(value: number | string): string {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new HmacInputError('timestamp', 'must be a non-negative whole number of seconds');
    }
    return String(value);
  }
  if (typeof value !== 'string' || !/^(0|[1-9][0-9]{0,15})$/.test(value)) {
    throw new HmacInputError('timestamp', 'must be decimal digits without leading zeros');
  }

  return value;
}
