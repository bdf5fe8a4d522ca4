import { createPublicKey, KeyObject } from 'node:crypto';

import {
  AuditRecord,
  CHECKPOINT_TYPE,
  describeMalformedRecord,
  GENESIS_HASH,
  hashAuditRecord,
  recordWithoutHash,
} from './audit-record';
import { auditKeyId, verifyCheckpointSignature } from './checkpoint';

/** Why verification stopped, as a snake_case code. */
export type AuditVerifyFailureReason =
  | 'malformed'
  | 'hash_mismatch'
  | 'seq_gap'
  | 'link_broken'
  | 'checkpoint_mismatch'
  | 'checkpoint_signature_invalid';

/** A chain that verified: how many records, checkpoints, and where it ends. */
export interface AuditVerifySuccess {
  ok: true;
  count: number;
  checkpoints: number;
  lastSeq: number | null;
  lastHash: string | null;
  lastCheckpointSeq: number | null;
}

/** The first record that failed: its seq, the reason code and its index in the input. */
export interface AuditVerifyFailure {
  ok: false;
  seq: number;
  reason: AuditVerifyFailureReason;
  index: number;
}

/** The outcome of {@link verifyAuditRecords}. */
export type AuditVerifyResult = AuditVerifySuccess | AuditVerifyFailure;

/** Options of {@link verifyAuditRecords}. */
export interface VerifyAuditRecordsOptions {
  /**
   * The seq the first record must have; pass 1 for a full export so that records deleted from
   * the head are caught. By default the run may start anywhere.
   */
  startSeq?: number;
}

/**
 * Verifies a run of records in order from the first one given: shape, each hash recomputed,
 * seq continuity, each `prev_hash` link (64 zeros before seq 1) and each checkpoint (it must
 * cover the record just before it, carry this key's id, and its ECDSA signature must verify).
 * Returns the seq of the FIRST failing record: for a record whose own content is wrong, the seq
 * it should have; after a deleted or moved record, the seq of the record whose link breaks.
 * Throws TypeError when `auditPublicKey` is not an EC public key.
 *
 * Limitation: records removed from the tail (or, without `startSeq`, from the head) leave a
 * valid shorter chain; such truncation is only detectable against a checkpoint or head obtained
 * elsewhere.
 */
export function verifyAuditRecords(
  records: readonly unknown[],
  auditPublicKey: string | KeyObject,
  options: VerifyAuditRecordsOptions = {},
): AuditVerifyResult {
  const key = parseAuditPublicKey(auditPublicKey);
  const keyId = auditKeyId(key.export({ type: 'spki', format: 'der' }));
  let previous: AuditRecord | null = null;
  let checkpoints = 0;
  let lastCheckpointSeq: number | null = null;

  for (let index = 0; index < records.length; index++) {
    const value = records[index];
    const expectedSeq = previous ? previous.seq + 1 : (options.startSeq ?? firstExpectedSeq(value));
    const fail = (seq: number, reason: AuditVerifyFailureReason): AuditVerifyFailure => ({
      ok: false,
      seq,
      reason,
      index,
    });

    if (describeMalformedRecord(value) !== null) return fail(expectedSeq, 'malformed');
    const record = value as AuditRecord;

    // The hash comes first: a record whose own bytes changed is named at its position, even when
    // the change is to its seq.
    if (hashAuditRecord(record.prev_hash, recordWithoutHash(record)) !== record.hash) {
      return fail(expectedSeq, 'hash_mismatch');
    }
    if (record.seq !== expectedSeq) return fail(record.seq, 'seq_gap');
    if (!linksTo(record, previous)) return fail(record.seq, 'link_broken');

    if (record.type === CHECKPOINT_TYPE) {
      const problem = checkCheckpoint(record, key, keyId);
      if (problem !== null) return fail(record.seq, problem);
      checkpoints++;
      lastCheckpointSeq = record.seq;
    }

    previous = record;
  }

  return {
    ok: true,
    count: records.length,
    checkpoints,
    lastSeq: previous?.seq ?? null,
    lastHash: previous?.hash ?? null,
    lastCheckpointSeq,
  };
}

/** Parses the audit public key (SPKI PEM); throws TypeError when it is not an EC key. */
export function parseAuditPublicKey(input: string | KeyObject): KeyObject {
  let key: KeyObject;
  try {
    key = typeof input === 'string' ? createPublicKey(input) : input;
  } catch (cause) {
    throw new TypeError('audit public key is not a PEM public key', { cause });
  }
  if (key.type !== 'public' || key.asymmetricKeyType !== 'ec') {
    throw new TypeError('audit public key is not an EC public key');
  }

  return key;
}

/** Seq 1 when the first record claims to start the chain, else the seq it carries. */
function firstExpectedSeq(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 1;
  const { seq, prev_hash } = value as Partial<AuditRecord>;
  if (prev_hash === GENESIS_HASH) return 1;

  return Number.isSafeInteger(seq) && (seq as number) > 0 ? (seq as number) : 1;
}

function linksTo(record: AuditRecord, previous: AuditRecord | null): boolean {
  if (previous !== null) return record.prev_hash === previous.hash;

  // A run that starts mid-chain cannot check its first link; seq 1 must start from zeros.
  return record.seq !== 1 || record.prev_hash === GENESIS_HASH;
}

function checkCheckpoint(
  record: AuditRecord,
  key: KeyObject,
  keyId: string,
): AuditVerifyFailureReason | null {
  const evidence = record.evidence ?? {};
  const { through_seq, through_hash, signature, key_id } = evidence;
  if (typeof through_seq !== 'number' || typeof through_hash !== 'string') return 'malformed';
  if (typeof signature !== 'string' || typeof key_id !== 'string') return 'malformed';

  if (through_seq !== record.seq - 1 || through_hash !== record.prev_hash) {
    return 'checkpoint_mismatch';
  }

  if (key_id !== keyId) return 'checkpoint_signature_invalid';
  if (!verifyCheckpointSignature(key, through_seq, through_hash, signature)) {
    return 'checkpoint_signature_invalid';
  }

  return null;
}
