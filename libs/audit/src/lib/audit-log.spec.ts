import { randomBytes } from 'node:crypto';

import Redis from 'ioredis';
import { container } from 'tsyringe';

import { MemorySignerFactory } from '@zen/ca';
import type { Signer } from '@zen/ca';
import { CLOCK } from '@zen/config';
import { FakeClock } from '@zen/config/testing';
import { LOGGER } from '@zen/logging';
import { createCapturingLogger } from '@zen/logging/testing';
import type { CapturingLogger } from '@zen/logging/testing';
import { MemoryStore, RedisStore, STORE } from '@zen/store';
import { redisTestUrl } from '@zen/store/testing';

import { AUDIT_LOG, AuditLog, AuditStore } from './audit-log';
import { AUDIT_LOG_OPTIONS, AUDIT_SIGNER, AuditLogOptions } from './audit-log-options';
import { AuditEvent, AuditRecord, CHECKPOINT_TYPE } from './audit-record';
import { auditKeyId, auditPublicKeyPem } from './checkpoint';
import { verifyAuditRecords } from './verify-audit-records';

function event(n: number, overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    type: 'enrollment.accepted',
    actor: `spiffe://zen.test/agent/n${n}`,
    subject: `spiffe://zen.test/agent/n${n}`,
    outcome: 'success',
    evidence: { token_id: `tok${n}` },
    ...overrides,
  };
}

async function allRecords(log: AuditLog): Promise<AuditRecord[]> {
  const records: AuditRecord[] = [];
  let after: number | null = 0;
  while (after !== null) {
    const page = await log.list(after, 1000);
    records.push(...page.records);
    after = page.nextAfter;
  }

  return records;
}

describe('AuditLog', () => {
  let signer: Signer;
  const key = { publicKeyPem: '', keyId: '' };
  let store: MemoryStore;
  let clock: FakeClock;
  let logs: CapturingLogger;

  const makeLog = (options?: AuditLogOptions, on: AuditStore = store) =>
    new AuditLog(on, signer, clock, logs.logger, options);

  beforeAll(async () => {
    signer = await new MemorySignerFactory().create('audit/key');
    key.publicKeyPem = auditPublicKeyPem(signer.publicKeySpki());
    key.keyId = auditKeyId(signer.publicKeySpki());
  });

  beforeEach(() => {
    store = new MemoryStore();
    clock = new FakeClock(Date.UTC(2025, 2, 1, 8, 0, 0));
    logs = createCapturingLogger('audit-spec');
  });

  it('appends record 1 after 64 zeros and links record 2 to it', async () => {
    const log = makeLog();

    const first = await log.append(event(1));
    clock.advance(1500);
    const second = await log.append(event(2, { outcome: 'denied', reason: 'token_used' }));

    expect(first).toMatchObject({
      seq: 1,
      prev_hash: '0'.repeat(64),
      time: '2025-03-01T08:00:00.000Z',
    });
    expect(second).toMatchObject({ seq: 2, prev_hash: first.hash, reason: 'token_used' });
    expect(second.time).toBe('2025-03-01T08:00:01.500Z');
    expect(await store.getAuditHead()).toEqual({ seq: 2, hash: second.hash });
  });

  it('stores the record as its JSON text', async () => {
    const log = makeLog();

    const record = await log.append(event(1));

    expect(await store.listAudit(0, 10)).toEqual([JSON.stringify(record)]);
  });

  it('refuses the reserved checkpoint type and secret evidence', async () => {
    const log = makeLog();

    await expect(log.append(event(1, { type: CHECKPOINT_TYPE }))).rejects.toThrow(TypeError);
    await expect(log.append(event(1, { evidence: { nonce: 'abc' } }))).rejects.toThrow(TypeError);
    expect(await store.getAuditHead()).toMatchObject({ seq: 0 });
  });

  it('writes one gap-free chain from 50 concurrent appends across two instances', async () => {
    let conflicts = 0;
    const counting: AuditStore = {
      getAuditHead: () => store.getAuditHead(),
      appendAudit: async (params) => (await store.appendAudit(params)) || (conflicts++, false),
      listAudit: (after, limit) => store.listAudit(after, limit),
    };
    const a = makeLog({ checkpointEvery: 1000 }, counting);
    const b = makeLog({ checkpointEvery: 1000 }, counting);

    const written = await Promise.all(
      Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? a : b).append(event(i))),
    );

    const records = await allRecords(a);
    expect(records.map((r) => r.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(new Set(written.map((r) => r.seq)).size).toBe(50);
    expect(conflicts).toBeGreaterThan(0);
    expect(verifyAuditRecords(records, key.publicKeyPem, { startSeq: 1 })).toMatchObject({
      ok: true,
      count: 50,
    });
  });

  it('writes a signed checkpoint after every 100 records', async () => {
    const log = makeLog();

    for (let i = 1; i <= 250; i++) await log.append(event(i));

    const records = await allRecords(log);
    const checkpoints = records.filter((r) => r.type === CHECKPOINT_TYPE);
    expect(checkpoints.map((r) => r.seq)).toEqual([101, 202]);
    expect(checkpoints[0]).toMatchObject({
      actor: null,
      subject: null,
      outcome: 'success',
      reason: null,
      evidence: { through_seq: 100, through_hash: records[99].hash, key_id: key.keyId },
    });
    expect(verifyAuditRecords(records, key.publicKeyPem, { startSeq: 1 })).toMatchObject({
      ok: true,
      count: 252,
      checkpoints: 2,
    });
  });

  it('names the checkpoint actor from the options', async () => {
    const log = makeLog({ checkpointEvery: 2, checkpointActor: 'spiffe://zen.test/cp/r1' });

    await log.append(event(1));
    await log.append(event(2));

    const [, , checkpoint] = await allRecords(log);
    expect(checkpoint).toMatchObject({ type: CHECKPOINT_TYPE, actor: 'spiffe://zen.test/cp/r1' });
  });

  it('writes a checkpoint once 60 s have passed with records since the last one', async () => {
    const log = makeLog();
    await log.append(event(1));

    clock.advanceSeconds(59);
    const early = await log.checkpointIfDue();
    clock.advanceSeconds(1);
    const due = await log.checkpointIfDue();
    clock.advanceSeconds(60);
    const idle = await log.checkpointIfDue();

    expect(early).toBeNull();
    expect(due).toMatchObject({ seq: 2, type: CHECKPOINT_TYPE, evidence: { through_seq: 1 } });
    expect(idle).toBeNull();
    expect(await store.getAuditHead()).toMatchObject({ seq: 2 });
  });

  it('writes no timed checkpoint into an empty log', async () => {
    const log = makeLog();

    clock.advanceSeconds(600);

    expect(await log.checkpointIfDue()).toBeNull();
    expect(await store.getAuditHead()).toMatchObject({ seq: 0 });
  });

  it('restarts the 60 s period after a count checkpoint', async () => {
    const log = makeLog({ checkpointEvery: 3 });
    clock.advanceSeconds(50);
    for (let i = 1; i <= 4; i++) await log.append(event(i));

    clock.advanceSeconds(30);
    const early = await log.checkpointIfDue();
    clock.advanceSeconds(30);
    const due = await log.checkpointIfDue();

    expect(early).toBeNull();
    expect(due).toMatchObject({ seq: 6, evidence: { through_seq: 5 } });
  });

  it('closes with a final checkpoint over records no checkpoint covers', async () => {
    const log = makeLog();
    await log.append(event(1));
    await log.append(event(2));

    await log.close();

    const records = await allRecords(log);
    expect(records.map((r) => r.type)).toEqual([
      'enrollment.accepted',
      'enrollment.accepted',
      CHECKPOINT_TYPE,
    ]);
  });

  it('pages the log with nextAfter and caps the limit at 1000', async () => {
    const log = makeLog({ checkpointEvery: 5000 });
    for (let i = 1; i <= 1205; i++) await log.append(event(i));

    const first = await log.list(0, 5000);
    const second = await log.list(first.nextAfter ?? -1, 1000);
    const small = await log.list(1200, 5);
    const past = await log.list(1205, 10);

    expect(first.records).toHaveLength(1000);
    expect(first.nextAfter).toBe(1000);
    expect(second.records.map((r) => r.seq)).toEqual(
      Array.from({ length: 205 }, (_, i) => 1001 + i),
    );
    expect(second.nextAfter).toBeNull();
    expect(small).toMatchObject({ nextAfter: null });
    expect(small.records.map((r) => r.seq)).toEqual([1201, 1202, 1203, 1204, 1205]);
    expect(past).toEqual({ records: [], nextAfter: null });
  });

  it('gives up with audit_append_failed when the head keeps moving', async () => {
    const contested: AuditStore = {
      getAuditHead: () => store.getAuditHead(),
      appendAudit: async () => false,
      listAudit: (after, limit) => store.listAudit(after, limit),
    };
    const log = makeLog({ maxAttempts: 3 }, contested);

    const failure = log.append(event(1));

    await expect(failure).rejects.toMatchObject({ code: 'audit_append_failed', attempts: 3 });
    expect(logs.lines()).toContainEqual(
      expect.objectContaining({ level: 'error', message: 'audit append failed' }),
    );
  });

  it('rejects with audit_record_malformed when the store holds a broken record', async () => {
    await store.appendAudit({ seq: 1, prevHash: '0'.repeat(64), hash: 'a'.repeat(64), json: '{}' });
    const log = makeLog();

    await expect(log.list(0, 10)).rejects.toMatchObject({ code: 'audit_record_malformed' });
  });

  it('keeps appending after a checkpoint signature fails, and logs the failure', async () => {
    const broken: Signer = {
      algorithm: signer.algorithm,
      publicKeySpki: () => signer.publicKeySpki(),
      sign: async () => Promise.reject(new Error('hsm unreachable')),
    };
    const log = new AuditLog(store, broken, clock, logs.logger, { checkpointEvery: 1 });

    const record = await log.append(event(1));

    expect(record.seq).toBe(1);
    expect(await store.getAuditHead()).toMatchObject({ seq: 1 });
    expect(logs.lines()).toContainEqual(
      expect.objectContaining({ level: 'error', message: 'audit checkpoint failed' }),
    );
  });

  it('resolves from a container, with or without registered options', async () => {
    const child = container.createChildContainer();
    child.register(STORE, { useValue: store });
    child.register(AUDIT_SIGNER, { useValue: signer });
    child.register(CLOCK, { useValue: clock });
    child.register(LOGGER, { useValue: logs.logger });
    child.register(AUDIT_LOG, { useClass: AuditLog });
    const configured = child.createChildContainer();
    configured.register(AUDIT_LOG_OPTIONS, { useValue: { checkpointEvery: 2 } });

    await child.resolve(AUDIT_LOG).append(event(1));
    await configured.resolve(AUDIT_LOG).append(event(2));

    const types = (await store.listAudit(0, 10)).map((json) => JSON.parse(json).type);
    expect(types).toEqual(['enrollment.accepted', 'enrollment.accepted', CHECKPOINT_TYPE]);
  });
});

const url = redisTestUrl();

async function deleteKeys(redisUrl: string, prefix: string): Promise<void> {
  const admin = new Redis(redisUrl);
  let cursor = '0';
  do {
    const [next, found] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (found.length > 0) await admin.del(...found);
    cursor = next;
  } while (cursor !== '0');
  await admin.quit();
}

if (url) {
  const redisUrl = url;

  describe('AuditLog on RedisStore', () => {
    const prefix = `zen-audit-test:{${randomBytes(6).toString('hex')}}:`;
    const stores: RedisStore[] = [];
    let signer: Signer;

    beforeAll(async () => {
      signer = await new MemorySignerFactory().create('audit/key');
      for (let i = 0; i < 2; i++) {
        const store = new RedisStore({ url: redisUrl, keyPrefix: prefix });
        await store.start();
        stores.push(store);
      }
    });

    afterAll(async () => {
      await Promise.all(stores.map((store) => store.close()));
      await deleteKeys(redisUrl, prefix);
    });

    it('writes one verifiable chain from two replicas with their own connections', async () => {
      const clock = new FakeClock(Date.UTC(2025, 3, 1));
      const { logger } = createCapturingLogger('audit-redis-spec');
      const replicas = stores.map(
        (store) =>
          new AuditLog(store, signer, clock, logger, {
            checkpointEvery: 20,
          }),
      );

      await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          replicas[i % 2].append({
            type: 'keys.lookup',
            actor: `spiffe://zen.test/ingester/i${i % 2}`,
            subject: null,
            outcome: 'success',
            evidence: { hmac_key_id: `k${i}` },
          }),
        ),
      );
      const page = await replicas[1].list(0, 1000);

      const records: AuditRecord[] = page.records;
      const ordinary = records.filter((r) => r.type !== CHECKPOINT_TYPE);
      expect(ordinary).toHaveLength(50);
      expect(records.map((r) => r.seq)).toEqual(records.map((_, i) => i + 1));
      expect(records.filter((r) => r.type === CHECKPOINT_TYPE).length).toBeGreaterThanOrEqual(2);
      expect(
        verifyAuditRecords(records, auditPublicKeyPem(signer.publicKeySpki()), { startSeq: 1 }),
      ).toMatchObject({ ok: true, count: records.length });
    });
  });
}
