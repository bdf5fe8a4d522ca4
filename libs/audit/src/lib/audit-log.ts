import { inject, injectable, InjectionToken } from 'tsyringe';

import type { Signer } from '@zen/ca';
import { CLOCK, type Clock } from '@zen/config';
import { LOGGER, type Logger } from '@zen/logging';
import { STORE, type AuditHead, type Store } from '@zen/store';

import { AUDIT_LOG_OPTIONS, AUDIT_SIGNER, type AuditLogOptions } from './audit-log-options';
import {
  assertAuditEvent,
  AuditEvent,
  AuditRecord,
  buildAuditRecord,
  CHECKPOINT_TYPE,
  describeMalformedRecord,
} from './audit-record';
import { auditKeyId, buildCheckpointEvent, checkpointSigningString } from './checkpoint';
import { AuditAppendError, AuditRecordMalformedError } from './errors';
import { normalizeEvidence } from './evidence';

/** The largest page `list` returns, and its default. */
export const AUDIT_LIST_MAX_LIMIT = 1000;

/** The part of the Store port the audit log uses. */
export type AuditStore = Pick<Store, 'getAuditHead' | 'appendAudit' | 'listAudit'>;

/** A page of records and the `after` of the next page, or null when none follows. */
export interface AuditPage {
  records: AuditRecord[];
  nextAfter: number | null;
}

/**
 * The hash-chained audit trail of PROTOCOL.md "Audit", kept in the Store. Appends are serialized
 * within one instance and decided by the store's atomic compare-and-append across replicas, so
 * several replicas on one store write one gap-free chain. Checkpoints signed by the audit key
 * follow every 100 records and, through `start()`'s timer, at least every 60 s.
 */
@injectable()
export class AuditLog {
  private readonly every: number;
  private readonly intervalMs: number;
  private readonly checkIntervalMs: number;
  private readonly maxAttempts: number;
  private readonly checkpointActor: string | null;
  private readonly logger: Logger;
  /** sha256 hex of the audit key's SPKI DER, written into every checkpoint. */
  readonly keyId: string;
  private queue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private lastCheckpointMs: number;

  constructor(
    @inject(STORE) private readonly store: AuditStore,
    @inject(AUDIT_SIGNER) private readonly signer: Signer,
    @inject(CLOCK) private readonly clock: Clock,
    @inject(LOGGER) logger: Logger,
    @inject(AUDIT_LOG_OPTIONS, { isOptional: true }) options?: AuditLogOptions,
  ) {
    if (!store || !signer || !clock || !logger) throw new TypeError('audit log dependency missing');

    this.every = positiveInteger(options?.checkpointEvery ?? 100, 'checkpointEvery');
    this.intervalMs = positiveInteger(options?.checkpointIntervalSeconds ?? 60, 'interval') * 1000;
    this.checkIntervalMs = positiveInteger(options?.checkIntervalMs ?? 5000, 'checkIntervalMs');
    this.maxAttempts = positiveInteger(options?.maxAttempts ?? 20, 'maxAttempts');
    this.checkpointActor = options?.checkpointActor ?? null;
    this.logger = logger.child({ module: 'audit.log' });
    this.keyId = auditKeyId(signer.publicKeySpki());
    this.lastCheckpointMs = clock.nowMs();
  }

  /**
   * Appends one record after the current head and returns it. Retries when another writer moved
   * the head; after the configured tries rejects with `audit_append_failed`. Store errors
   * (`store_unavailable`) pass through. Throws TypeError for an event that breaks PROTOCOL.md
   * (see `buildAuditRecord`) or uses the reserved checkpoint type. When the record completes a
   * run of `checkpointEvery`, a signed checkpoint is appended before this resolves.
   */
  async append(event: AuditEvent): Promise<AuditRecord> {
    assertAuditEvent(event);
    if (event.type === CHECKPOINT_TYPE) throw new TypeError('audit.checkpoint is reserved');
    // Refuse secret or non-scalar evidence now, before waiting behind appends in flight.
    normalizeEvidence(event.evidence);

    return this.serialize(async () => {
      const record = await this.appendWithRetry(() => event);
      if ((record.seq + 1) % (this.every + 1) === 0) await this.checkpointQuietly();

      return record;
    });
  }

  /**
   * Writes a checkpoint when `checkpointIntervalSeconds` have passed on the clock since this
   * instance's last one and the chain's last record is not already a checkpoint. Returns the
   * checkpoint record, or null when none was due. `start()` calls it on a timer; specs call it
   * directly after moving a fake clock.
   */
  async checkpointIfDue(): Promise<AuditRecord | null> {
    if (this.clock.nowMs() - this.lastCheckpointMs < this.intervalMs) return null;

    return this.serialize(async () => {
      if (!(await this.hasUncheckpointedRecords())) return null;

      return this.writeCheckpoint();
    });
  }

  /**
   * Records with seq > `afterSeq`, ascending, at most `limit` (default and maximum 1000), and the
   * seq to pass as `afterSeq` for the next page (null when no record follows). Rejects with
   * `audit_record_malformed` when the store holds something that is not a record.
   */
  async list(afterSeq: number, limit: number = AUDIT_LIST_MAX_LIMIT): Promise<AuditPage> {
    if (!Number.isSafeInteger(afterSeq) || afterSeq < 0) throw new TypeError('afterSeq invalid');
    if (!Number.isSafeInteger(limit) || limit < 1) throw new TypeError('limit invalid');
    const pageSize = Math.min(limit, AUDIT_LIST_MAX_LIMIT);

    const raw = await this.store.listAudit(afterSeq, pageSize + 1);
    const records = raw.slice(0, pageSize).map(parseStoredRecord);
    const more = raw.length > pageSize;

    return { records, nextAfter: more ? records[records.length - 1].seq : null };
  }

  /** Starts the timer that calls `checkpointIfDue()`; it does not keep the process alive. */
  start(): void {
    if (this.timer) return;

    this.timer = setInterval(() => void this.checkpointQuietly(true), this.checkIntervalMs);
    this.timer.unref();
  }

  /**
   * Stops the timer, waits for appends in flight and writes a final checkpoint when the chain
   * ends in records no checkpoint covers yet. Never rejects; a failure is logged.
   */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;

    await this.serialize(async () => {
      if (await this.hasUncheckpointedRecords()) await this.writeCheckpoint();
    }).catch((err: unknown) => this.logFailure('audit checkpoint failed', err));
  }

  private async appendWithRetry(
    eventFor: (head: AuditHead) => AuditEvent | Promise<AuditEvent>,
  ): Promise<AuditRecord> {
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      const head = await this.store.getAuditHead();
      const event = await eventFor(head);
      const record = buildAuditRecord({
        seq: head.seq + 1,
        prevHash: head.hash,
        timeMs: this.clock.nowMs(),
        event,
      });

      const json = JSON.stringify(record);
      const params = { seq: record.seq, prevHash: head.hash, hash: record.hash, json };
      if (await this.store.appendAudit(params)) {
        this.logger.debug('audit record appended', { seq: record.seq, type: record.type });
        return record;
      }

      // Another writer took this seq: back off a little, at random, so two replicas that keep
      // colliding fall out of step.
      await delay(Math.floor(Math.random() * 2 * attempt));
    }

    const err = new AuditAppendError('audit append lost the head race', this.maxAttempts);
    this.logFailure('audit append failed', err);
    throw err;
  }

  private async writeCheckpoint(): Promise<AuditRecord> {
    const record = await this.appendWithRetry(async (head) => {
      const data = Buffer.from(checkpointSigningString(head.seq, head.hash), 'utf8');
      const signatureDer = await this.signer.sign(data);

      return buildCheckpointEvent({
        throughSeq: head.seq,
        throughHash: head.hash,
        signatureDer,
        keyId: this.keyId,
        actor: this.checkpointActor,
      });
    });
    this.lastCheckpointMs = this.clock.nowMs();
    this.logger.info('audit checkpoint written', { seq: record.seq });

    return record;
  }

  /** A checkpoint that must not fail the append that triggered it: its failure is logged. */
  private async checkpointQuietly(onlyIfDue = false): Promise<void> {
    try {
      if (onlyIfDue) await this.checkpointIfDue();
      else await this.writeCheckpoint();
    } catch (err) {
      this.logFailure('audit checkpoint failed', err);
    }
  }

  private async hasUncheckpointedRecords(): Promise<boolean> {
    const head = await this.store.getAuditHead();
    if (head.seq === 0) return false;

    const [last] = await this.store.listAudit(head.seq - 1, 1);

    return last === undefined || parseStoredRecord(last).type !== CHECKPOINT_TYPE;
  }

  /** Runs `task` after every task queued before it, so one instance never races itself. */
  private serialize<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);

    return run;
  }

  private logFailure(message: string, err: unknown): void {
    const code = (err as { code?: unknown })?.code;
    this.logger.error(message, { code: typeof code === 'string' ? code : 'internal', err });
  }
}

/** Injection token of the {@link AuditLog} singleton. */
export const AUDIT_LOG: InjectionToken<AuditLog> = Symbol('zen.audit.AuditLog');

function parseStoredRecord(json: string): AuditRecord {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (cause) {
    throw new AuditRecordMalformedError('stored audit record is not json', null, { cause });
  }

  const problem = describeMalformedRecord(value);
  if (problem !== null) {
    const seq = (value as { seq?: unknown })?.seq;
    const known = typeof seq === 'number' ? seq : null;
    throw new AuditRecordMalformedError(`stored audit record is malformed: ${problem}`, known);
  }

  return value as AuditRecord;
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new TypeError(`${name} must be >= 1`);

  return value;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
