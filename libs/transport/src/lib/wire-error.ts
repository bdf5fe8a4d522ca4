/** Every error code a client can see on the wire (PROTOCOL.md, Conventions). */
export type WireErrorCode =
  | 'invalid_request'
  | 'csr_rejected'
  | 'enrollment_denied'
  | 'unauthenticated'
  | 'signature_invalid'
  | 'replay'
  | 'skew'
  | 'identity_mismatch'
  | 'forbidden'
  | 'not_found'
  | 'payload_too_large'
  | 'rate_limited'
  | 'internal'
  | 'unavailable';

/** The HTTP status of each wire error code, as listed in PROTOCOL.md. */
export const WIRE_STATUS: Readonly<Record<WireErrorCode, number>> = Object.freeze({
  invalid_request: 400,
  csr_rejected: 400,
  enrollment_denied: 401,
  unauthenticated: 401,
  signature_invalid: 401,
  replay: 401,
  skew: 401,
  identity_mismatch: 401,
  forbidden: 403,
  not_found: 404,
  payload_too_large: 413,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
});

/** The message every `internal` error carries on the wire, whatever went wrong. */
export const INTERNAL_ERROR_MESSAGE = 'internal error';

export interface WireErrorOptions {
  cause?: unknown;
  /** Sent as the `Retry-After` header (whole seconds, at least 1). */
  retryAfterSeconds?: number;
}

/**
 * An error meant for the client: its `code` and `message` go into the JSON error body and its
 * `status` is `WIRE_STATUS[code]`. The message must be safe to show: no secrets, no values
 * echoed from the request, no library text. The `cause` stays on the server.
 */
export class WireError extends Error {
  readonly code: WireErrorCode;
  readonly status: number;
  readonly retryAfterSeconds?: number;

  constructor(code: WireErrorCode, message: string, opts: WireErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'WireError';
    this.code = code;
    this.status = WIRE_STATUS[code];
    if (opts.retryAfterSeconds !== undefined) this.retryAfterSeconds = opts.retryAfterSeconds;
  }
}

/** True for any string that is one of the wire error codes. */
export function isWireErrorCode(value: unknown): value is WireErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(WIRE_STATUS, value);
}
