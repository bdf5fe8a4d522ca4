import { createHash } from 'node:crypto';

import canonicalize from 'canonicalize';

import { normalizeEvidence } from './evidence';

/** The three outcomes of PROTOCOL.md "Audit". */
export type AuditOutcome = 'success' | 'denied' | 'error';

/** Evidence values: references only (ids, sha256 hex, serials, SPIFFE IDs, request ids). */
export type AuditEvidence = Record<string, string | number | boolean | null>;

/** One audit record, field for field as PROTOCOL.md "Audit" lists them. */
export interface AuditRecord {
  seq: number;
  time: string;
  type: string;
  actor: string | null;
  subject: string | null;
  outcome: AuditOutcome;
  reason: string | null;
  evidence: AuditEvidence | null;
  prev_hash: string;
  hash: string;
}

/** What a caller records; the log adds seq, time and the hash links. */
export type AuditEvent = Pick<AuditRecord, 'type' | 'actor' | 'subject' | 'outcome'> & {
  reason?: string | null;
  evidence?: AuditRecord['evidence'];
};

/** The `prev_hash` of record 1: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

/** The reserved type of checkpoint records. */
export const CHECKPOINT_TYPE = 'audit.checkpoint';

/** The fields of a record in the order PROTOCOL.md lists them. */
export const AUDIT_RECORD_FIELDS = [
  'seq',
  'time',
  'type',
  'actor',
  'subject',
  'outcome',
  'reason',
  'evidence',
  'prev_hash',
  'hash',
] as const;

const OUTCOMES: readonly string[] = ['success', 'denied', 'error'];
const EVENT_TYPE = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;
const REASON = /^[a-z][a-z0-9_]*$/;
const HEX64 = /^[0-9a-f]{64}$/;

/**
 * The hash of a record: `sha256hex(prev_hash + "\n" + JCS(record without "hash"))`, JCS being
 * RFC 8785 (PROTOCOL.md "Audit"). Lowercase hex.
 */
export function hashAuditRecord(prevHash: string, recordWithoutHash: object): string {
  const canonical = canonicalize(recordWithoutHash);
  if (canonical === undefined) throw new TypeError('audit record cannot be canonicalized');

  return createHash('sha256').update(`${prevHash}\n${canonical}`, 'utf8').digest('hex');
}

/** Inputs of {@link buildAuditRecord}. */
export interface BuildAuditRecordParams {
  seq: number;
  prevHash: string;
  timeMs: number;
  event: AuditEvent;
}

/**
 * Builds and hashes the record that follows `(seq - 1, prevHash)`. Validates the event and
 * normalizes its evidence; throws TypeError on a programmer error (bad type, reason on success,
 * secret-named or non-scalar evidence). Only checkpoint records may carry `signature` evidence.
 */
export function buildAuditRecord(params: BuildAuditRecordParams): AuditRecord {
  const { seq, prevHash, timeMs, event } = params;
  assertAuditEvent(event);
  if (!Number.isSafeInteger(seq) || seq < 1) throw new TypeError(`audit seq is invalid: ${seq}`);
  if (!HEX64.test(prevHash)) throw new TypeError('audit prev_hash is not 64 lowercase hex');

  const isCheckpoint = event.type === CHECKPOINT_TYPE;
  const body: Omit<AuditRecord, 'hash'> = {
    seq,
    time: new Date(timeMs).toISOString(),
    type: event.type,
    actor: event.actor,
    subject: event.subject,
    outcome: event.outcome,
    reason: event.reason ?? null,
    evidence: normalizeEvidence(event.evidence, { allowSignature: isCheckpoint }),
    prev_hash: prevHash,
  };

  return { ...body, hash: hashAuditRecord(prevHash, body) };
}

/** Throws TypeError when an event breaks the rules of PROTOCOL.md "Audit". */
export function assertAuditEvent(event: AuditEvent): void {
  if (typeof event !== 'object' || event === null) throw new TypeError('audit event is missing');

  if (typeof event.type !== 'string' || !EVENT_TYPE.test(event.type)) {
    throw new TypeError(`audit type is not a dotted snake_case name: ${String(event.type)}`);
  }

  for (const field of ['actor', 'subject'] as const) {
    const value = event[field];
    if (value !== null && typeof value !== 'string') {
      throw new TypeError(`audit ${field} must be a string or null`);
    }
  }

  if (!OUTCOMES.includes(event.outcome)) {
    throw new TypeError(`audit outcome is invalid: ${String(event.outcome)}`);
  }

  const reason = event.reason ?? null;
  if (reason !== null && (typeof reason !== 'string' || !REASON.test(reason))) {
    throw new TypeError(`audit reason is not snake_case: ${String(reason)}`);
  }
  if (event.outcome === 'success' && reason !== null) {
    throw new TypeError('audit reason must be null on success');
  }
}

/**
 * Returns why a value is not a well-formed {@link AuditRecord} (every field present with its
 * type, no other field), or null when it is one. Does not check hashes or links.
 */
export function describeMalformedRecord(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not an object';
  const record = value as Record<string, unknown>;

  const keys = Object.keys(record);
  const missing = AUDIT_RECORD_FIELDS.filter((field) => !(field in record));
  if (missing.length > 0) return `missing ${missing.join(', ')}`;
  if (keys.length !== AUDIT_RECORD_FIELDS.length) return 'unexpected fields';

  if (!Number.isSafeInteger(record.seq) || (record.seq as number) < 1) return 'bad seq';
  if (typeof record.time !== 'string' || Number.isNaN(Date.parse(record.time))) return 'bad time';
  if (typeof record.type !== 'string' || !EVENT_TYPE.test(record.type)) return 'bad type';
  if (!isNullableString(record.actor)) return 'bad actor';
  if (!isNullableString(record.subject)) return 'bad subject';
  if (typeof record.outcome !== 'string' || !OUTCOMES.includes(record.outcome)) {
    return 'bad outcome';
  }
  if (!isNullableString(record.reason)) return 'bad reason';
  if (!isEvidence(record.evidence)) return 'bad evidence';
  if (typeof record.prev_hash !== 'string' || !HEX64.test(record.prev_hash)) {
    return 'bad prev_hash';
  }
  if (typeof record.hash !== 'string' || !HEX64.test(record.hash)) return 'bad hash';

  return null;
}

/** Type guard over {@link describeMalformedRecord}. */
export function isAuditRecord(value: unknown): value is AuditRecord {
  return describeMalformedRecord(value) === null;
}

/** The record minus its `hash` field: the object the hash covers. */
export function recordWithoutHash(record: AuditRecord): Omit<AuditRecord, 'hash'> {
  const { hash: _hash, ...rest } = record;

  return rest;
}

function isNullableString(value: unknown): boolean {
  return value === null || typeof value === 'string';
}

function isEvidence(value: unknown): boolean {
  if (value === null) return true;
  if (typeof value !== 'object' || Array.isArray(value)) return false;

  return Object.values(value as object).every(
    (v) =>
      v === null ||
      typeof v === 'string' ||
      typeof v === 'boolean' ||
      (typeof v === 'number' && Number.isSafeInteger(v)),
  );
}
