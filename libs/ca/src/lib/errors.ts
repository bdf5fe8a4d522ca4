/** Base class of every error thrown by @zen/ca; `code` is stable and unique in the workspace. */
export abstract class CaError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Codes of {@link SignerError}. */
export type SignerErrorCode =
  'signer_key_insecure' | 'signer_name_invalid' | 'signer_key_invalid' | 'signer_key_exists';

/** A signer key could not be created or loaded safely. Messages name the key, never its bytes. */
export class SignerError extends CaError {
  constructor(
    readonly code: SignerErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Codes of {@link CsrError}. */
export type CsrErrorCode =
  'csr_malformed' | 'csr_signature_invalid' | 'csr_key_not_allowed' | 'csr_uri_san_mismatch';

/**
 * A certificate signing request was refused. `reason` is a short human sentence that is safe to
 * return to a caller who has already proven its join token (PROTOCOL.md, Enrollment step 3).
 */
export class CsrError extends CaError {
  constructor(
    readonly code: CsrErrorCode,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
  }
}

/** Codes of {@link IssueError}. */
export type IssueErrorCode = 'issue_request_invalid' | 'issue_ca_expired';

/** An SVID could not be issued: the request was unusable or the issuing CA has expired. */
export class IssueError extends CaError {
  constructor(
    readonly code: IssueErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Codes of {@link CaStateError}. */
export type CaStateErrorCode =
  | 'ca_state_invalid'
  | 'ca_state_conflict'
  | 'ca_signer_missing'
  | 'ca_not_initialized'
  | 'ca_disk_invalid'
  | 'ca_disk_exists';

/** The persisted CA state (store or disk) is unusable, contended, or its keys are missing. */
export class CaStateError extends CaError {
  constructor(
    readonly code: CaStateErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
