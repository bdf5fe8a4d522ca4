// The log: appends, checkpoints and paging over the Store.
export { AUDIT_LIST_MAX_LIMIT, AUDIT_LOG, AuditLog } from './lib/audit-log';
export type { AuditPage, AuditStore } from './lib/audit-log';
export { AUDIT_LOG_OPTIONS, AUDIT_SIGNER } from './lib/audit-log-options';
export type { AuditLogOptions } from './lib/audit-log-options';

// Records: the format and hash chain of PROTOCOL.md "Audit".
export {
  AUDIT_RECORD_FIELDS,
  CHECKPOINT_TYPE,
  GENESIS_HASH,
  assertAuditEvent,
  buildAuditRecord,
  describeMalformedRecord,
  hashAuditRecord,
  isAuditRecord,
  recordWithoutHash,
} from './lib/audit-record';
export type {
  AuditEvent,
  AuditEvidence,
  AuditOutcome,
  AuditRecord,
  BuildAuditRecordParams,
} from './lib/audit-record';
export { isSecretEvidenceKey, normalizeEvidence } from './lib/evidence';

// Checkpoints: signed heads of the chain.
export {
  CHECKPOINT_SIGNING_PREFIX,
  auditKeyId,
  auditPublicKeyPem,
  buildCheckpointEvent,
  checkpointSigningString,
  verifyCheckpointSignature,
} from './lib/checkpoint';
export type { CheckpointEventParams } from './lib/checkpoint';

// Verification of an exported or listed run of records.
export { parseAuditPublicKey, verifyAuditRecords } from './lib/verify-audit-records';
export type {
  AuditVerifyFailure,
  AuditVerifyFailureReason,
  AuditVerifyResult,
  AuditVerifySuccess,
  VerifyAuditRecordsOptions,
} from './lib/verify-audit-records';

// Export as JSON Lines.
export {
  exportJsonLines,
  parseAuditJsonLines,
  parseJsonLines,
  streamAuditJsonLines,
} from './lib/json-lines';
export type { AuditPageSource } from './lib/json-lines';

// Errors.
export {
  AuditAppendError,
  AuditError,
  AuditJsonLinesError,
  AuditRecordMalformedError,
} from './lib/errors';
export type { AuditErrorCode } from './lib/errors';
