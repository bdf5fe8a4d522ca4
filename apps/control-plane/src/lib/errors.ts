import { WireError } from '@zen/transport';
import type { WireErrorCode } from '@zen/transport';

/** Codes of the control plane's own failures; each maps to one wire code. */
export type ControlPlaneErrorCode =
  | 'enrollment_refused'
  | 'csr_refused'
  | 'peer_refused'
  | 'recovery_refused'
  | 'record_missing'
  | 'request_value_invalid'
  | 'state_dir_invalid';

/** Base class of control plane errors: a code, a precise reason and the public wire code. */
export abstract class ControlPlaneError extends Error {
  abstract readonly code: ControlPlaneErrorCode;
  abstract readonly wireCode: WireErrorCode;

  constructor(
    readonly reason: string,
    readonly publicMessage: string,
    opts?: { cause?: unknown },
  ) {
    super(`${publicMessage}: ${reason}`, opts);
    this.name = new.target.name;
  }

  /** The error as the client sees it: the wire code and the public message only. */
  toWire(): WireError {
    return new WireError(this.wireCode, this.publicMessage);
  }
}

/** An enrollment authentication failure; the client learns nothing beyond the wire code. */
export class EnrollmentRefusedError extends ControlPlaneError {
  readonly code = 'enrollment_refused' as const;
  readonly wireCode = 'enrollment_denied' as const;

  constructor(reason: string) {
    super(reason, 'enrollment denied');
  }
}

/** A CSR refused after the caller authenticated; the reason is safe to show. */
export class CsrRefusedError extends ControlPlaneError {
  readonly code = 'csr_refused' as const;
  readonly wireCode = 'csr_rejected' as const;

  constructor(reason: string, detail: string) {
    super(reason, `csr rejected: ${detail}`);
  }
}

/** An authenticated peer that may not do this (evicted, unconfirmed, wrong component). */
export class PeerRefusedError extends ControlPlaneError {
  readonly code = 'peer_refused' as const;
  readonly wireCode = 'forbidden' as const;

  constructor(reason: string) {
    super(reason, 'forbidden');
  }
}

/** A recovery request that did not authenticate; the wire code says which check failed. */
export class RecoveryRefusedError extends ControlPlaneError {
  readonly code = 'recovery_refused' as const;

  constructor(
    reason: string,
    readonly wireCode: 'unauthenticated' | 'signature_invalid' | 'skew' | 'replay',
  ) {
    super(reason, 'recovery denied');
  }
}

/** A record the caller named does not exist (or is not visible to it). */
export class RecordMissingError extends ControlPlaneError {
  readonly code = 'record_missing' as const;
  readonly wireCode = 'not_found' as const;

  constructor(reason: string) {
    super(reason, 'not found');
  }
}

/** The state folder holds a file that is unreadable, malformed or too open. */
export class StateDirError extends ControlPlaneError {
  readonly code = 'state_dir_invalid' as const;
  readonly wireCode = 'internal' as const;

  constructor(reason: string, opts?: { cause?: unknown }) {
    super(reason, 'state folder invalid', opts);
  }
}

/** Narrows an unknown error to a control plane error. */
export function isControlPlaneError(err: unknown): err is ControlPlaneError {
  return err instanceof ControlPlaneError;
}

/** A well-formed request whose values are out of the allowed range. */
export class InvalidSettingError extends ControlPlaneError {
  readonly code = 'request_value_invalid' as const;
  readonly wireCode = 'invalid_request' as const;

  constructor(detail: string) {
    super('value_out_of_range', detail);
  }
}
