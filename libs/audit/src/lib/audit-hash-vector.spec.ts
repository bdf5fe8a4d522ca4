import { createHash } from 'node:crypto';

import { buildAuditRecord, GENESIS_HASH, hashAuditRecord, recordWithoutHash } from './audit-record';

// The canonical (RFC 8785) text of the two records below, written out by hand: members sorted
// by key, no whitespace, "hash" left out. It pins the hash to the wording of PROTOCOL.md.
const ZEROS = '0000000000000000000000000000000000000000000000000000000000000000';
const FIRST_JCS =
  '{"actor":"spiffe://zen.test/admin/ops","evidence":{"request_id":"r-1","serial":"1f",' +
  '"token_id":"tok_A"},"outcome":"success","prev_hash":"' +
  ZEROS +
  '","reason":null,"seq":1,"subject":"spiffe://zen.test/agent/caf\u00e9","time":' +
  '"2025-01-02T03:04:05.678Z","type":"enrollment.accepted"}';

function sha256hex(text: string): string {
  return createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex');
}

describe('audit hash vector', () => {
  const first = buildAuditRecord({
    seq: 1,
    prevHash: GENESIS_HASH,
    timeMs: Date.UTC(2025, 0, 2, 3, 4, 5, 678),
    event: {
      type: 'enrollment.accepted',
      actor: 'spiffe://zen.test/admin/ops',
      subject: 'spiffe://zen.test/agent/caf\u00e9',
      outcome: 'success',
      evidence: { token_id: 'tok_A', serial: '1f', request_id: 'r-1' },
    },
  });

  it('hashes the first record as sha256 of 64 zeros, a newline and its JCS text', () => {
    const expected = sha256hex(`${ZEROS}\n${FIRST_JCS}`);

    expect(first.hash).toBe(expected);
  });

  it('chains the second record to the first record hash', () => {
    const second = buildAuditRecord({
      seq: 2,
      prevHash: first.hash,
      timeMs: Date.UTC(2025, 0, 2, 3, 4, 6, 0),
      event: {
        type: 'enrollment.denied',
        actor: null,
        subject: null,
        outcome: 'denied',
        reason: 'token_used',
        evidence: { attempts: 3, token_id: 'tok_A' },
      },
    });
    const jcs =
      '{"actor":null,"evidence":{"attempts":3,"token_id":"tok_A"},"outcome":"denied",' +
      `"prev_hash":"${first.hash}","reason":"token_used","seq":2,"subject":null,` +
      '"time":"2025-01-02T03:04:06.000Z","type":"enrollment.denied"}';

    expect(second.hash).toBe(sha256hex(`${first.hash}\n${jcs}`));
  });

  it('gives the same hash whatever the key order of the input object', () => {
    const shuffled = Object.fromEntries(Object.entries(recordWithoutHash(first)).reverse());

    expect(hashAuditRecord(GENESIS_HASH, shuffled)).toBe(first.hash);
  });
});
