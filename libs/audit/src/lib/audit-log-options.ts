import type { InjectionToken } from 'tsyringe';

import type { Signer } from '@zen/ca';

/** Settings of `AuditLog`; every field has the default PROTOCOL.md asks for. */
export interface AuditLogOptions {
  /** A checkpoint follows every this many records; 100. */
  checkpointEvery?: number;
  /** A checkpoint is written at least this often while records arrive; 60. */
  checkpointIntervalSeconds?: number;
  /** How often `start()`'s timer calls `checkpointIfDue()`; 5000 ms. */
  checkIntervalMs?: number;
  /** Tries of one append against a moving head before `audit_append_failed`; 20. */
  maxAttempts?: number;
  /** Actor of checkpoint records, such as the replica's SPIFFE ID; null. */
  checkpointActor?: string | null;
}

/** Injection token of the audit key's Signer (ES256), distinct from the CA's keys. */
export const AUDIT_SIGNER: InjectionToken<Signer> = Symbol('zen.audit.Signer');

/** Injection token of {@link AuditLogOptions}; optional, the defaults apply when absent. */
export const AUDIT_LOG_OPTIONS: InjectionToken<AuditLogOptions> = Symbol('zen.audit.Options');
