import { generateKeyPairSync } from 'node:crypto';

import fc from 'fast-check';

import { buildAuditChain, createTestAuditKey, rechainAuditRecords } from '../testing';
import { AuditRecord, CHECKPOINT_TYPE } from './audit-record';
import { verifyAuditRecords } from './verify-audit-records';

type Field = keyof AuditRecord;

const FIELDS: Field[] = [
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
];

/** A different, still well-formed value for one field of a record. */
function mutate(record: AuditRecord, field: Field): AuditRecord {
  const flipHex = (hex: string) => (hex[0] === 'a' ? 'b' : 'a') + hex.slice(1);
  const changed: Record<Field, unknown> = {
    seq: record.seq + 1,
    time: '2031-01-01T00:00:00.000Z',
    type: record.type === 'forged.event' ? 'other.event' : 'forged.event',
    actor: record.actor === null ? 'spiffe://zen.test/admin/mallory' : null,
    subject: record.subject === null ? 'spiffe://zen.test/agent/x' : null,
    outcome: record.outcome === 'success' ? 'denied' : 'success',
    reason: record.reason === null ? 'forged' : null,
    evidence: record.evidence === null ? { token_id: 'x' } : { ...record.evidence, extra: 1 },
    prev_hash: flipHex(record.prev_hash),
    hash: flipHex(record.hash),
  };

  return { ...record, [field]: changed[field] };
}

function replaceAt(records: AuditRecord[], index: number, record: unknown): unknown[] {
  return records.map((r, i) => (i === index ? record : r));
}

describe('verifyAuditRecords', () => {
  const { records, key } = buildAuditChain(250, { checkpointEvery: 100 });

  it('accepts an intact chain and counts its checkpoints', () => {
    const result = verifyAuditRecords(records, key.publicKeyPem);

    expect(result).toEqual({
      ok: true,
      count: 250,
      checkpoints: 2,
      lastSeq: 250,
      lastHash: records[249].hash,
      lastCheckpointSeq: 202,
    });
    expect(records[100].type).toBe(CHECKPOINT_TYPE);
  });

  it('accepts an empty run', () => {
    expect(verifyAuditRecords([], key.publicKeyPem)).toMatchObject({ ok: true, count: 0 });
  });

  const cases = [1, 2, 50, 101, 202, 250].flatMap((seq) => FIELDS.map((f) => [seq, f] as const));
  it.each(cases)('names seq %i when its %s field is edited', (seq, field) => {
    const tampered = replaceAt(records, seq - 1, mutate(records[seq - 1], field));

    const result = verifyAuditRecords(tampered, key.publicKeyPem);

    expect(result).toMatchObject({ ok: false, seq, reason: 'hash_mismatch', index: seq - 1 });
  });

  it('names the edited record for any record and field', () => {
    const small = buildAuditChain(40, { checkpointEvery: 9, key }).records;
    const anyValue = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.boolean());

    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.constantFrom(...FIELDS),
        anyValue,
        (seq, field, value) => {
          fc.pre(JSON.stringify(value) !== JSON.stringify(small[seq - 1][field]));
          const tampered = replaceAt(small, seq - 1, { ...small[seq - 1], [field]: value });

          const result = verifyAuditRecords(tampered, key.publicKeyPem);

          expect(result).toMatchObject({ ok: false, seq });
        },
      ),
    );
  });

  it.each([2, 100, 101, 150, 249])('names the next record when seq %i is deleted', (seq) => {
    const tampered = records.filter((r) => r.seq !== seq);

    const result = verifyAuditRecords(tampered, key.publicKeyPem);

    expect(result).toMatchObject({ ok: false, seq: seq + 1, reason: 'seq_gap' });
  });

  it('names seq 2 when seq 1 is deleted and the run must start at seq 1', () => {
    const tampered = records.slice(1);

    const result = verifyAuditRecords(tampered, key.publicKeyPem, { startSeq: 1 });

    expect(result).toMatchObject({ ok: false, seq: 2, reason: 'seq_gap', index: 0 });
  });

  it('accepts a run whose head was cut off when no start seq is required', () => {
    const result = verifyAuditRecords(records.slice(1), key.publicKeyPem);

    expect(result).toMatchObject({ ok: true, count: 249 });
  });

  it('catches at the next checkpoint a deletion hidden by renumbering and rehashing', () => {
    const renumbered = records
      .filter((r) => r.seq !== 30)
      .map((r) => (r.seq > 30 ? { ...r, seq: r.seq - 1 } : r));
    const forged = rechainAuditRecords(renumbered, 29);

    const result = verifyAuditRecords(forged, key.publicKeyPem);

    expect(result).toMatchObject({ ok: false, seq: 100, reason: 'checkpoint_mismatch' });
  });

  it('names the moved record when two records swap places', () => {
    const tampered = [...records];
    [tampered[59], tampered[60]] = [tampered[60], tampered[59]];

    const result = verifyAuditRecords(tampered, key.publicKeyPem);

    expect(result).toMatchObject({ ok: false, seq: 61, reason: 'seq_gap' });
  });

  it('names the next record when one record is rewritten with a fresh hash', () => {
    const rewritten = rechainAuditRecords(
      replaceAt(records, 9, mutate(records[9], 'actor')) as AuditRecord[],
      9,
    )[9];
    const tampered = replaceAt(records, 9, rewritten);

    const result = verifyAuditRecords(tampered, key.publicKeyPem);

    expect(result).toMatchObject({ ok: false, seq: 11, reason: 'link_broken' });
  });

  it('refuses a forged checkpoint signature even when the chain is rehashed', () => {
    const forger = createTestAuditKey();
    const data = Buffer.from('zen-audit-checkpoint-v1\n100\n' + records[99].hash, 'utf8');
    const evidence = {
      ...records[100].evidence,
      signature: forger.signDer(data).toString('base64'),
    };
    const tampered = rechainAuditRecords(
      replaceAt(records, 100, { ...records[100], evidence }) as AuditRecord[],
      100,
    );

    const result = verifyAuditRecords(tampered, key.publicKeyPem);

    expect(result).toMatchObject({ ok: false, seq: 101, reason: 'checkpoint_signature_invalid' });
  });

  it('refuses a checkpoint whose signature is not DER', () => {
    const evidence = { ...records[100].evidence, signature: 'AAAA' };
    const tampered = rechainAuditRecords(
      replaceAt(records, 100, { ...records[100], evidence }) as AuditRecord[],
      100,
    );

    const result = verifyAuditRecords(tampered, key.publicKeyPem);

    expect(result).toMatchObject({ ok: false, seq: 101, reason: 'checkpoint_signature_invalid' });
  });

  it('refuses a checkpoint whose through fields do not match the chain', () => {
    const evidence = { ...records[100].evidence, through_seq: 99 };
    const tampered = rechainAuditRecords(
      replaceAt(records, 100, { ...records[100], evidence }) as AuditRecord[],
      100,
    );

    const result = verifyAuditRecords(tampered, key.publicKeyPem);

    expect(result).toMatchObject({ ok: false, seq: 101, reason: 'checkpoint_mismatch' });
  });

  it('refuses checkpoints when verified with another audit key', () => {
    const other = createTestAuditKey();

    const result = verifyAuditRecords(records, other.publicKeyPem);

    expect(result).toMatchObject({ ok: false, seq: 101, reason: 'checkpoint_signature_invalid' });
  });

  it('refuses a first record that claims seq 1 without the zero prev_hash', () => {
    const tampered = rechainAuditRecords(
      [{ ...records[0], prev_hash: 'f'.repeat(64) }, ...records.slice(1)],
      0,
    );

    const result = verifyAuditRecords(tampered, key.publicKeyPem);

    expect(result).toMatchObject({ ok: false, seq: 1, reason: 'link_broken' });
  });

  it('names a malformed record by the seq it should have', () => {
    const tampered = replaceAt(records, 41, { not: 'a record' });

    const result = verifyAuditRecords(tampered, key.publicKeyPem);

    expect(result).toMatchObject({ ok: false, seq: 42, reason: 'malformed' });
  });

  it('verifies a run that starts in the middle of the chain', () => {
    const result = verifyAuditRecords(records.slice(120), key.publicKeyPem);

    expect(result).toMatchObject({ ok: true, count: 130, checkpoints: 1 });
  });

  it('accepts a chain whose tail was cut off (only an outside checkpoint shows it)', () => {
    const result = verifyAuditRecords(records.slice(0, 180), key.publicKeyPem);

    expect(result).toMatchObject({ ok: true, count: 180, lastSeq: 180 });
  });

  it('throws TypeError for a key that is not an EC public key', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;

    expect(() => verifyAuditRecords(records, 'not a pem')).toThrow(TypeError);
    expect(() => verifyAuditRecords(records, rsa)).toThrow(TypeError);
  });
});
