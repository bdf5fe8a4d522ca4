/** Every machine code the audit library throws; unique across the workspace. */
export type AuditErrorCode =
  'audit_append_failed' | 'audit_record_malformed' | 'audit_jsonl_malformed';

/** Base class of the audit library's coded errors. */
export abstract class AuditError extends Error {
  abstract readonly code: AuditErrorCode;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** An append lost the head race too many times or the store refused it. */
export class AuditAppendError extends AuditError {
  readonly code = 'audit_append_failed' as const;
  readonly attempts: number;

  constructor(message: string, attempts: number, options?: { cause?: unknown }) {
    super(message, options);
    this.attempts = attempts;
  }
}

/** A record read back from the store does not have the shape of PROTOCOL.md. */
export class AuditRecordMalformedError extends AuditError {
  readonly code = 'audit_record_malformed' as const;
  readonly seq: number | null;

  constructor(message: string, seq: number | null, options?: { cause?: unknown }) {
    super(message, options);
    this.seq = seq;
  }
}

/** A JSON Lines export has a line that is not a JSON object; `line` counts from 1. */
export class AuditJsonLinesError extends AuditError {
  readonly code = 'audit_jsonl_malformed' as const;
  readonly line: number;

  constructor(message: string, line: number, options?: { cause?: unknown }) {
    super(message, options);
    this.line = line;
  }
}
