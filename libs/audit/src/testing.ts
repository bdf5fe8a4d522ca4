import { generateKeyPairSync, KeyObject, sign } from 'node:crypto';

import {
  AuditEvent,
  AuditRecord,
  buildAuditRecord,
  GENESIS_HASH,
  hashAuditRecord,
  recordWithoutHash,
} from './lib/audit-record';
import { auditKeyId, buildCheckpointEvent, checkpointSigningString } from './lib/checkpoint';

/** A P-256 audit key made in memory for specs, with the public half as SPKI PEM and DER. */
export interface TestAuditKey {
  privateKey: KeyObject;
  publicKeyPem: string;
  publicKeySpki: Buffer;
  keyId: string;
  /** Sync DER ECDSA signature with SHA-256, as an ES256 signer returns it. */
  signDer(data: Buffer): Buffer;
}

/** Makes a fresh P-256 audit key (see {@link TestAuditKey}). */
export function createTestAuditKey(): TestAuditKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const publicKeySpki = publicKey.export({ type: 'spki', format: 'der' });

  return {
    privateKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    publicKeySpki,
    keyId: auditKeyId(publicKeySpki),
    signDer: (data) => sign('sha256', data, { key: privateKey, dsaEncoding: 'der' }),
  };
}

/** Options of {@link buildAuditChain}. */
export interface BuildAuditChainOptions {
  /** A checkpoint record takes every seq that is a multiple of `checkpointEvery + 1`. */
  checkpointEvery?: number;
  /** Time of record 1; each next record is one second later. */
  startMs?: number;
  key?: TestAuditKey;
  /** The event of the n-th ordinary record (n from 1); a varied default otherwise. */
  event?: (n: number) => AuditEvent;
}

/** A chain built by {@link buildAuditChain} and the key that signed its checkpoints. */
export interface TestAuditChain {
  records: AuditRecord[];
  key: TestAuditKey;
}

/**
 * Builds a valid chain of `count` records (checkpoints included) the way `AuditLog` writes one,
 * for specs that need a log to verify, export or tamper with.
 */
export function buildAuditChain(
  count: number,
  options: BuildAuditChainOptions = {},
): TestAuditChain {
  const key = options.key ?? createTestAuditKey();
  const every = options.checkpointEvery ?? 100;
  const startMs = options.startMs ?? Date.UTC(2025, 0, 1);
  const eventOf = options.event ?? defaultEvent;
  const records: AuditRecord[] = [];
  let ordinary = 0;

  for (let seq = 1; seq <= count; seq++) {
    const previous = records[records.length - 1];
    const prevHash = previous?.hash ?? GENESIS_HASH;
    const event = seq % (every + 1) === 0 ? checkpointAfter(previous, key) : eventOf(++ordinary);
    records.push(buildAuditRecord({ seq, prevHash, timeMs: startMs + (seq - 1) * 1000, event }));
  }

  return { records, key };
}

/**
 * Recomputes `prev_hash` and `hash` from `fromIndex` on, as a forger who rewrites the rest of the
 * chain would. Returns new records; the input is not changed.
 */
export function rechainAuditRecords(
  records: readonly AuditRecord[],
  fromIndex: number,
): AuditRecord[] {
  const result = records.map((record) => ({ ...record }));
  for (let i = Math.max(fromIndex, 0); i < result.length; i++) {
    const prevHash = i === 0 ? result[i].prev_hash : result[i - 1].hash;
    const body = { ...recordWithoutHash(result[i]), prev_hash: prevHash };
    result[i] = { ...body, hash: hashAuditRecord(prevHash, body) };
  }

  return result;
}

function checkpointAfter(previous: AuditRecord, key: TestAuditKey): AuditEvent {
  const data = Buffer.from(checkpointSigningString(previous.seq, previous.hash), 'utf8');

  return buildCheckpointEvent({
    throughSeq: previous.seq,
    throughHash: previous.hash,
    signatureDer: key.signDer(data),
    keyId: key.keyId,
    actor: null,
  });
}

function defaultEvent(n: number): AuditEvent {
  const kinds: AuditEvent[] = [
    {
      type: 'enrollment.accepted',
      actor: `spiffe://zen.test/agent/node-${n}`,
      subject: `spiffe://zen.test/agent/node-${n}`,
      outcome: 'success',
      evidence: { token_id: `tok${n}`, serial: n.toString(16), request_id: `req-${n}` },
    },
    {
      type: 'enrollment.denied',
      actor: null,
      subject: null,
      outcome: 'denied',
      reason: 'token_used',
      evidence: { token_id: `tok${n}`, nonce_sha256: '1'.repeat(64) },
    },
    {
      type: 'admin.audit_read',
      actor: 'spiffe://zen.test/admin/ops',
      subject: null,
      outcome: 'success',
    },
  ];

  return kinds[n % kinds.length];
}
