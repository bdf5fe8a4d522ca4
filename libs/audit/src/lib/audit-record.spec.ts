import {
  AuditEvent,
  buildAuditRecord,
  describeMalformedRecord,
  GENESIS_HASH,
  hashAuditRecord,
  recordWithoutHash,
} from './audit-record';

const EVENT: AuditEvent = {
  type: 'enrollment.accepted',
  actor: 'spiffe://zen.test/agent/a',
  subject: 'spiffe://zen.test/agent/a',
  outcome: 'success',
  evidence: { token_id: 'tok1' },
};

describe('buildAuditRecord', () => {
  it('fills every field of PROTOCOL.md, null where it does not apply', () => {
    const event: AuditEvent = {
      type: 'ca.rotated',
      actor: null,
      subject: null,
      outcome: 'success',
    };

    const record = buildAuditRecord({ seq: 1, prevHash: GENESIS_HASH, timeMs: 0, event });

    expect(Object.keys(record)).toEqual([
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
    ]);
    expect(record).toMatchObject({ reason: null, evidence: null, actor: null, subject: null });
  });

  it('writes the time as RFC 3339 UTC with milliseconds', () => {
    const record = buildAuditRecord({
      seq: 1,
      prevHash: GENESIS_HASH,
      timeMs: Date.UTC(2025, 5, 30, 12, 1, 2, 345),
      event: EVENT,
    });

    expect(record.time).toBe('2025-06-30T12:01:02.345Z');
  });

  it('hashes the record without its hash, after the previous hash', () => {
    const record = buildAuditRecord({ seq: 4, prevHash: 'ab'.repeat(32), timeMs: 0, event: EVENT });

    expect(record.hash).toBe(hashAuditRecord('ab'.repeat(32), recordWithoutHash(record)));
    expect(record.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['a reason on success', { ...EVENT, reason: 'token_used' }],
    ['a reason that is not snake_case', { ...EVENT, outcome: 'denied', reason: 'Token Used' }],
    ['an unknown outcome', { ...EVENT, outcome: 'maybe' }],
    ['a type that is not dotted snake_case', { ...EVENT, type: 'Enrollment Accepted' }],
    ['an actor that is not a string', { ...EVENT, actor: 42 }],
    ['secret evidence', { ...EVENT, evidence: { hmac_key: 'abc' } }],
    ['a signature outside a checkpoint', { ...EVENT, evidence: { signature: 'abc' } }],
  ])('refuses an event with %s', (_name, event) => {
    const build = () =>
      buildAuditRecord({ seq: 1, prevHash: GENESIS_HASH, timeMs: 0, event: event as AuditEvent });

    expect(build).toThrow(TypeError);
  });

  it('refuses a seq below 1 and a prev_hash that is not 64 hex', () => {
    expect(() =>
      buildAuditRecord({ seq: 0, prevHash: GENESIS_HASH, timeMs: 0, event: EVENT }),
    ).toThrow(TypeError);
    expect(() => buildAuditRecord({ seq: 1, prevHash: 'zz', timeMs: 0, event: EVENT })).toThrow(
      TypeError,
    );
  });

  it('keeps a denied reason', () => {
    const event: AuditEvent = { ...EVENT, outcome: 'denied', reason: 'token_expired' };

    const record = buildAuditRecord({ seq: 1, prevHash: GENESIS_HASH, timeMs: 0, event });

    expect(record.reason).toBe('token_expired');
  });
});

describe('describeMalformedRecord', () => {
  const good = buildAuditRecord({ seq: 1, prevHash: GENESIS_HASH, timeMs: 0, event: EVENT });

  it('accepts a built record', () => {
    expect(describeMalformedRecord(good)).toBeNull();
  });

  it.each([
    ['a missing field', { ...recordWithoutHash(good) }, 'missing hash'],
    ['an extra field', { ...good, extra: 1 }, 'unexpected fields'],
    ['a string seq', { ...good, seq: '1' }, 'bad seq'],
    ['a nested evidence value', { ...good, evidence: { a: { b: 1 } } }, 'bad evidence'],
    ['an upper-case hash', { ...good, hash: good.hash.toUpperCase() }, 'bad hash'],
    ['an array', [good], 'not an object'],
  ])('names %s', (_name, value, problem) => {
    expect(describeMalformedRecord(value)).toBe(problem);
  });
});
