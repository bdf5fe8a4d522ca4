import { RateLimiterMemory } from 'rate-limiter-flexible';

import { assertClaimParams, decideClaim, decideConfirm, tokenKeepUntil } from './claim-rules';
import { storedKeyOf } from './digest';
import { ExpiringMap } from './expiring-map';
import { isRateLimiterRes, limiterName, toRateLimitResult } from './rate-limit-result';
import {
  EMPTY_AUDIT_HASH,
  type AppendAuditParams,
  type AuditHead,
  type CaStateRecord,
  type ClaimTokenParams,
  type ClaimTokenResult,
  type ConfirmEnrollmentResult,
  type EnrollmentRecord,
  type EvictionRecord,
  type HmacKeyRecord,
  type NonceRecord,
  type RateLimit,
  type RateLimitResult,
  type SvidRecord,
  type TokenRecord,
} from './records';
import { resolveRetention, type StoreRetentionOptions } from './retention';
import type { Store } from './store';

/** Options of the in-memory store. */
export interface MemoryStoreOptions extends StoreRetentionOptions {
  /** Wall clock in ms that decides record expiry; default `Date.now`. */
  nowMs?: () => number;
}

const SWEEP_INTERVAL_MS = 1000;

/**
 * The embedded store: one process, no persistence. Every atomic operation runs to completion
 * without awaiting between its read and its write, so concurrent calls cannot interleave.
 * Records past their keep time (for tokens and nonces: `expiresAt` plus the retention) are
 * hidden on read and swept on writes at most once a second.
 */
// Limitation: state lives in this process only; it is lost on restart and cannot be shared by
// several control-plane replicas (use RedisStore for that).
export class MemoryStore implements Store {
  private readonly nowMs: () => number;
  private readonly retention: Required<StoreRetentionOptions>;
  private lastSweepMs = Number.NEGATIVE_INFINITY;

  private readonly tokens = new ExpiringMap<TokenRecord>();
  private readonly enrollments = new Map<string, EnrollmentRecord>();
  private readonly latestBySpiffeId = new Map<string, string>();
  private readonly hmacKeys = new ExpiringMap<HmacKeyRecord>();
  private readonly svids = new ExpiringMap<SvidRecord>();
  private readonly nonces = new ExpiringMap<NonceRecord>();
  private readonly seen = new ExpiringMap<true>();
  private readonly evictions = new Map<string, EvictionRecord>();
  private caState: CaStateRecord | null = null;
  private readonly audit: string[] = [];
  private auditHash = EMPTY_AUDIT_HASH;
  private readonly limiters = new Map<string, RateLimiterMemory>();

  constructor(options: MemoryStoreOptions = {}) {
    this.nowMs = options.nowMs ?? Date.now;
    this.retention = resolveRetention(options);
  }

  async start(): Promise<void> {
    // Nothing to connect: the records live in this object.
  }

  async close(): Promise<void> {
    // Nothing to release: no timers or connections are held.
  }

  async ping(): Promise<void> {
    // Always ready while the process runs.
  }

  async putToken(token: TokenRecord): Promise<void> {
    this.written();
    const keepUntil = tokenKeepUntil(token, this.retention.tokenRetentionSeconds);
    this.tokens.set(token.tokenId, copy(token), keepUntil);
  }

  async getToken(tokenId: string): Promise<TokenRecord | null> {
    return copyOrNull(this.tokens.get(tokenId, this.nowSeconds()));
  }

  async recordFailedMac(
    tokenId: string,
    maxFailures: number,
  ): Promise<{ failedMacs: number; locked: boolean } | null> {
    const token = this.tokens.get(tokenId, this.nowSeconds());
    if (!token) return null;

    token.failedMacs += 1;
    token.locked = token.locked || token.failedMacs >= maxFailures;

    return { failedMacs: token.failedMacs, locked: token.locked };
  }

  async claimToken(params: ClaimTokenParams): Promise<ClaimTokenResult> {
    assertClaimParams(params);
    this.written();

    const token = this.tokens.get(params.tokenId, this.nowSeconds());
    if (!token) return { kind: 'denied', reason: 'token_unknown' };

    const claimed = token.enrollmentId ? this.enrollments.get(token.enrollmentId) : undefined;
    const decision = decideClaim(token, claimed ?? null, params);
    if (decision.kind === 'deny') return { kind: 'denied', reason: decision.reason };
    if (decision.kind === 'resume') {
      return { kind: 'resumed', token: copy(token), enrollment: copy(decision.enrollment) };
    }

    const { enrollment, hmacKey } = params;
    const pending: TokenRecord = {
      ...token,
      state: 'pending',
      enrollmentId: enrollment.enrollmentId,
    };
    const keepUntil = tokenKeepUntil(
      pending,
      this.retention.tokenRetentionSeconds,
      enrollment.confirmBy,
    );
    this.tokens.set(pending.tokenId, pending, keepUntil);
    this.enrollments.set(enrollment.enrollmentId, copy(enrollment));
    this.latestBySpiffeId.set(enrollment.spiffeId, enrollment.enrollmentId);
    this.hmacKeys.set(hmacKey.hmacKeyId, copy(hmacKey), hmacKey.expiresAt);

    return { kind: 'claimed', token: copy(pending), enrollment: copy(enrollment) };
  }

  async confirmEnrollment(
    enrollmentId: string,
    nowSeconds: number,
  ): Promise<ConfirmEnrollmentResult> {
    const result = decideConfirm(this.enrollments.get(enrollmentId) ?? null, nowSeconds);
    if (result.kind !== 'confirmed' || !result.enrollment) {
      return { kind: result.kind, enrollment: copyOrNull(result.enrollment ?? undefined) };
    }

    this.enrollments.set(enrollmentId, result.enrollment);
    const token = this.tokens.get(result.enrollment.tokenId, this.nowSeconds());
    if (token) token.state = 'spent';

    return { kind: 'confirmed', enrollment: copy(result.enrollment) };
  }

  async getEnrollment(enrollmentId: string): Promise<EnrollmentRecord | null> {
    return copyOrNull(this.enrollments.get(enrollmentId));
  }

  async findEnrollmentBySpiffeId(spiffeId: string): Promise<EnrollmentRecord | null> {
    const enrollmentId = this.latestBySpiffeId.get(spiffeId);

    return enrollmentId ? copyOrNull(this.enrollments.get(enrollmentId)) : null;
  }

  async listEnrollments(): Promise<EnrollmentRecord[]> {
    return [...this.enrollments.values()].sort(byCreatedAt).map(copy);
  }

  async recordSvid(svid: SvidRecord, keepUntil: number): Promise<void> {
    this.written();
    this.svids.set(svid.serial, copy(svid), keepUntil);

    const enrollment = this.enrollments.get(svid.enrollmentId);
    if (!enrollment) return;

    if (enrollment.lastExpiresAt === null || svid.notAfter >= enrollment.lastExpiresAt) {
      enrollment.lastSerial = svid.serial;
      enrollment.lastExpiresAt = svid.notAfter;
    }
    const hmacKey = this.hmacKeys.get(enrollment.hmacKeyId, this.nowSeconds());
    if (hmacKey && keepUntil > hmacKey.expiresAt) {
      hmacKey.expiresAt = keepUntil;
      this.hmacKeys.set(hmacKey.hmacKeyId, hmacKey, keepUntil);
    }
  }

  async getSvid(serial: string): Promise<SvidRecord | null> {
    return copyOrNull(this.svids.get(serial, this.nowSeconds()));
  }

  async getHmacKey(hmacKeyId: string): Promise<HmacKeyRecord | null> {
    return copyOrNull(this.hmacKeys.get(hmacKeyId, this.nowSeconds()));
  }

  async putNonce(nonce: string, record: NonceRecord): Promise<void> {
    this.written();
    const keepUntil = record.expiresAt + this.retention.nonceRetentionSeconds;
    this.nonces.set(storedKeyOf(nonce), copy(record), keepUntil);
  }

  async consumeNonce(nonce: string): Promise<NonceRecord | null> {
    const key = storedKeyOf(nonce);
    const record = this.nonces.get(key, this.nowSeconds());
    this.nonces.delete(key);

    return record ?? null;
  }

  async rememberOnce(key: string, ttlSeconds: number): Promise<boolean> {
    this.written();
    const storedKey = storedKeyOf(key);
    const now = this.nowSeconds();
    if (this.seen.get(storedKey, now)) return false;

    this.seen.set(storedKey, true, now + ttlSeconds);

    return true;
  }

  async evict(eviction: EvictionRecord): Promise<void> {
    this.evictions.delete(eviction.spiffeId);
    this.evictions.set(eviction.spiffeId, copy(eviction));
  }

  async getEviction(spiffeId: string): Promise<EvictionRecord | null> {
    return copyOrNull(this.evictions.get(spiffeId));
  }

  async listEvictions(): Promise<EvictionRecord[]> {
    return [...this.evictions.values()].sort((a, b) => a.evictedAt - b.evictedAt).map(copy);
  }

  async getCaState(): Promise<CaStateRecord | null> {
    return this.caState ? { ...this.caState } : null;
  }

  async compareAndSetCaState(expectedVersion: number, value: string): Promise<boolean> {
    const version = this.caState?.version ?? 0;
    if (version !== expectedVersion) return false;

    this.caState = { version: version + 1, value };

    return true;
  }

  async getAuditHead(): Promise<AuditHead> {
    return { seq: this.audit.length, hash: this.auditHash };
  }

  async appendAudit(params: AppendAuditParams): Promise<boolean> {
    if (params.seq !== this.audit.length + 1 || params.prevHash !== this.auditHash) return false;

    this.audit.push(params.json);
    this.auditHash = params.hash;

    return true;
  }

  async listAudit(afterSeq: number, limit: number): Promise<string[]> {
    const start = Math.max(0, Math.floor(afterSeq));

    return this.audit.slice(start, start + Math.max(0, Math.floor(limit)));
  }

  async hitRateLimit(bucket: string, key: string, limit: RateLimit): Promise<RateLimitResult> {
    const name = limiterName(bucket, limit.points, limit.durationSeconds);
    let limiter = this.limiters.get(name);
    if (!limiter) {
      limiter = new RateLimiterMemory({ points: limit.points, duration: limit.durationSeconds });
      this.limiters.set(name, limiter);
    }

    try {
      return toRateLimitResult(true, await limiter.consume(key));
    } catch (refusal) {
      if (isRateLimiterRes(refusal)) return toRateLimitResult(false, refusal);
      throw refusal;
    }
  }

  /**
   * Every live record as JSON, keyed like the Redis plugin's keys; for tests (secret checks and
   * bounded growth), not for production use.
   */
  async dump(): Promise<Record<string, string>> {
    const now = this.nowSeconds();
    const out: Record<string, string> = {};
    const add = (kind: string, entries: Iterable<[string, unknown]>) => {
      for (const [key, value] of entries) out[`${kind}:${key}`] = JSON.stringify(value);
    };
    add('token', this.tokens.list(now));
    add('enrollment', this.enrollments);
    add('enrollment-by-spiffe', this.latestBySpiffeId);
    add('hmac-key', this.hmacKeys.list(now));
    add('svid', this.svids.list(now));
    add('nonce', this.nonces.list(now));
    add('once', this.seen.list(now));
    add('eviction', this.evictions);
    add(
      'audit',
      this.audit.map((json, index) => [String(index + 1), json] as [string, string]),
    );
    if (this.caState) out['ca'] = JSON.stringify(this.caState);

    return out;
  }

  /** Number of expiring records held, expired or not (to check that sweeping bounds memory). */
  heldExpiringRecords(): number {
    return (
      this.tokens.size + this.hmacKeys.size + this.svids.size + this.nonces.size + this.seen.size
    );
  }

  private nowSeconds(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  // Sweeping on writes (not on a timer) keeps the store free of background work while still
  // bounding memory: whatever adds records also removes the expired ones.
  private written(): void {
    const nowMs = this.nowMs();
    if (nowMs - this.lastSweepMs < SWEEP_INTERVAL_MS) return;

    this.lastSweepMs = nowMs;
    const now = Math.floor(nowMs / 1000);
    for (const map of [this.tokens, this.hmacKeys, this.svids, this.nonces, this.seen]) {
      map.sweep(now);
    }
  }
}

function copy<T>(value: T): T {
  return structuredClone(value);
}

function copyOrNull<T>(value: T | undefined): T | null {
  return value === undefined ? null : copy(value);
}

function byCreatedAt(a: EnrollmentRecord, b: EnrollmentRecord): number {
  return a.createdAt - b.createdAt;
}
