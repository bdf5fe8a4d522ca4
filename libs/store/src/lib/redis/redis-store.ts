import Redis, { Cluster, type RedisOptions } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';

import { assertClaimParams, tokenKeepUntil } from '../claim-rules';
import { storedKeyOf } from '../digest';
import { StoreUnavailableError } from '../errors';
import { isRateLimiterRes, limiterName, toRateLimitResult } from '../rate-limit-result';
import {
  EMPTY_AUDIT_HASH,
  type AppendAuditParams,
  type AuditHead,
  type CaStateRecord,
  type ClaimDeniedReason,
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
} from '../records';
import { resolveRetention, type StoreRetentionOptions } from '../retention';
import type { Store } from '../store';
import { toStoreError } from './redis-errors';
import { normalizeKeyPrefix, RedisKeys } from './redis-keys';
import {
  APPEND_AUDIT,
  CLAIM_TOKEN,
  COMPARE_AND_SET_CA_STATE,
  CONFIRM_ENROLLMENT,
  RECORD_FAILED_MAC,
  RECORD_SVID,
} from './redis-scripts';
import { parseRedisUrl } from './redis-url';

/** The part of a logger the Redis plugin uses; a @zen/logging Logger fits. */
export interface StoreLogger {
  info(message: string, meta?: Record<string, unknown>): unknown;
  warn(message: string, meta?: Record<string, unknown>): unknown;
}

/** Options of the Redis store. */
export interface RedisStoreOptions extends StoreRetentionOptions {
  /**
   * `redis://` / `rediss://` (standalone), `redis-sentinel://[:password@]host:port,host:port/
   * <masterName>` (Sentinel) or `redis-cluster://[:password@]host:port,host:port` (Cluster).
   */
  url: string;
  /** Prefix of every key; `{zen}:` is appended unless it has a hash tag. Default `zen:{zen}:`. */
  keyPrefix?: string;
  logger?: StoreLogger;
  /** A command that gets no answer within this time rejects; default 2000. */
  commandTimeoutMs?: number;
  /** How long `start()` and one TCP connect may take; default 5000. */
  connectTimeoutMs?: number;
  /** Longest pause between reconnect attempts (which never stop); default 2000. */
  reconnectMaxDelayMs?: number;
}

type Client = Redis | Cluster;

/** The Lua commands defined on the client; see redis-scripts.ts. */
interface ScriptCommands {
  zenRecordFailedMac(key: string, maxFailures: number): Promise<[number, number] | null>;
  zenClaimToken(key: string, ...args: string[]): Promise<string[]>;
  zenConfirmEnrollment(key: string, prefix: string, now: string): Promise<string[]>;
  zenRecordSvid(key: string, ...args: string[]): Promise<number>;
  zenCompareAndSetCaState(key: string, expected: string, value: string): Promise<number>;
  zenAppendAudit(head: string, log: string, ...args: string[]): Promise<number>;
}

const MGET_CHUNK = 500;

/**
 * The store shared by several control-plane replicas: ioredis on standalone Redis, Sentinel or
 * Cluster. Every race is decided by one Lua script or command on the server; every record with
 * an expiry carries a Redis TTL (tokens and nonces: `expiresAt` plus their retention). When
 * Redis is down every method rejects at once with `StoreUnavailableError` (no offline queue,
 * bounded command time), and the client keeps reconnecting with capped backoff until Redis is
 * back.
 */
export class RedisStore implements Store {
  private readonly client: Client;
  private readonly scripts: ScriptCommands;
  private readonly keys: RedisKeys;
  private readonly logger?: StoreLogger;
  private readonly connectTimeoutMs: number;
  private readonly retention: Required<StoreRetentionOptions>;
  private readonly limiters = new Map<string, RateLimiterRedis>();
  private connectedOnce = false;
  private outage = false;
  private closing = false;

  constructor(options: RedisStoreOptions) {
    this.keys = new RedisKeys(normalizeKeyPrefix(options.keyPrefix ?? 'zen:'));
    this.logger = options.logger;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 5000;
    this.retention = resolveRetention(options);
    this.client = createClient(options);
    this.scripts = defineScripts(this.client);
    this.watchConnection();
  }

  async start(): Promise<void> {
    if (this.client.status === 'ready') return;
    if (this.client.status === 'end') throw new StoreUnavailableError('store closed');

    // The first connect may fail; the retry strategy keeps trying, so wait for 'ready'.
    if (this.client.status === 'wait') this.client.connect().catch(() => undefined);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.client.off('ready', onReady);
        reject(new StoreUnavailableError('redis did not become ready in time'));
      }, this.connectTimeoutMs);
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      this.client.once('ready', onReady);
    });
  }

  async close(): Promise<void> {
    if (this.client.status === 'end') return;

    this.closing = true;
    try {
      if (this.client.status === 'ready') await this.client.quit();
    } finally {
      this.client.disconnect();
    }
  }

  async ping(): Promise<void> {
    await this.call(() => this.client.ping());
  }

  async putToken(token: TokenRecord): Promise<void> {
    const key = this.keys.token(token.tokenId);
    const json = JSON.stringify(token);
    const keepUntil = seconds(tokenKeepUntil(token, this.retention.tokenRetentionSeconds));
    await this.call(() => this.client.set(key, json, 'EXAT', keepUntil));
  }

  async getToken(tokenId: string): Promise<TokenRecord | null> {
    return this.getJson<TokenRecord>(this.keys.token(tokenId));
  }

  async recordFailedMac(
    tokenId: string,
    maxFailures: number,
  ): Promise<{ failedMacs: number; locked: boolean } | null> {
    const key = this.keys.token(tokenId);
    const result = await this.call(() => this.scripts.zenRecordFailedMac(key, maxFailures));

    return result ? { failedMacs: Number(result[0]), locked: Number(result[1]) === 1 } : null;
  }

  async claimToken(params: ClaimTokenParams): Promise<ClaimTokenResult> {
    assertClaimParams(params);
    const { enrollment, hmacKey } = params;

    const reply = await this.call(() =>
      this.scripts.zenClaimToken(
        this.keys.token(params.tokenId),
        this.keys.prefix,
        seconds(params.nowSeconds),
        JSON.stringify(enrollment),
        JSON.stringify(hmacKey),
        enrollment.enrollmentId,
        hmacKey.hmacKeyId,
        enrollment.spiffeId,
        enrollment.publicKeySha256,
        seconds(enrollment.confirmBy),
        seconds(enrollment.createdAt),
        seconds(hmacKey.expiresAt),
        seconds(this.retention.tokenRetentionSeconds),
      ),
    );

    const [kind, first, second] = reply;
    if (kind === 'claimed') return { kind, token: JSON.parse(first), enrollment };
    if (kind === 'resumed') {
      return { kind, token: JSON.parse(first), enrollment: JSON.parse(second) };
    }

    return { kind: 'denied', reason: first as ClaimDeniedReason };
  }

  async confirmEnrollment(
    enrollmentId: string,
    nowSeconds: number,
  ): Promise<ConfirmEnrollmentResult> {
    const key = this.keys.enrollment(enrollmentId);
    const [kind, json] = await this.call(() =>
      this.scripts.zenConfirmEnrollment(key, this.keys.prefix, seconds(nowSeconds)),
    );

    return {
      kind: kind as ConfirmEnrollmentResult['kind'],
      enrollment: json ? (JSON.parse(json) as EnrollmentRecord) : null,
    };
  }

  async getEnrollment(enrollmentId: string): Promise<EnrollmentRecord | null> {
    return this.getJson<EnrollmentRecord>(this.keys.enrollment(enrollmentId));
  }

  async findEnrollmentBySpiffeId(spiffeId: string): Promise<EnrollmentRecord | null> {
    const key = this.keys.latestEnrollmentOf(spiffeId);
    const enrollmentId = await this.call(() => this.client.get(key));

    return enrollmentId ? this.getEnrollment(enrollmentId) : null;
  }

  async listEnrollments(): Promise<EnrollmentRecord[]> {
    const ids = await this.call(() => this.client.zrange(this.keys.enrollments(), 0, -1));

    return this.getJsonMany<EnrollmentRecord>(ids.map((id) => this.keys.enrollment(id)));
  }

  async recordSvid(svid: SvidRecord, keepUntil: number): Promise<void> {
    await this.call(() =>
      this.scripts.zenRecordSvid(
        this.keys.svid(svid.serial),
        this.keys.prefix,
        JSON.stringify(svid),
        seconds(keepUntil),
        svid.enrollmentId,
        svid.serial,
        seconds(svid.notAfter),
      ),
    );
  }

  async getSvid(serial: string): Promise<SvidRecord | null> {
    return this.getJson<SvidRecord>(this.keys.svid(serial));
  }

  async getHmacKey(hmacKeyId: string): Promise<HmacKeyRecord | null> {
    return this.getJson<HmacKeyRecord>(this.keys.hmacKey(hmacKeyId));
  }

  async putNonce(nonce: string, record: NonceRecord): Promise<void> {
    const key = this.keys.nonce(storedKeyOf(nonce));
    const json = JSON.stringify(record);
    const keepUntil = seconds(record.expiresAt + this.retention.nonceRetentionSeconds);
    await this.call(() => this.client.set(key, json, 'EXAT', keepUntil));
  }

  async consumeNonce(nonce: string): Promise<NonceRecord | null> {
    const key = this.keys.nonce(storedKeyOf(nonce));
    const json = await this.call(() => this.client.getdel(key));

    return json ? (JSON.parse(json) as NonceRecord) : null;
  }

  async rememberOnce(key: string, ttlSeconds: number): Promise<boolean> {
    const stored = this.keys.seen(storedKeyOf(key));
    const ttl = Math.max(1, Math.ceil(ttlSeconds));
    const reply = await this.call(() => this.client.set(stored, '1', 'EX', ttl, 'NX'));

    return reply === 'OK';
  }

  async evict(eviction: EvictionRecord): Promise<void> {
    const multi = this.client
      .multi()
      .set(this.keys.eviction(eviction.spiffeId), JSON.stringify(eviction))
      .zadd(this.keys.evictions(), eviction.evictedAt, eviction.spiffeId);
    await this.call(() => multi.exec());
  }

  async getEviction(spiffeId: string): Promise<EvictionRecord | null> {
    return this.getJson<EvictionRecord>(this.keys.eviction(spiffeId));
  }

  async listEvictions(): Promise<EvictionRecord[]> {
    const ids = await this.call(() => this.client.zrange(this.keys.evictions(), 0, -1));

    return this.getJsonMany<EvictionRecord>(ids.map((id) => this.keys.eviction(id)));
  }

  async getCaState(): Promise<CaStateRecord | null> {
    const [version, value] = await this.call(() =>
      this.client.hmget(this.keys.caState(), 'version', 'value'),
    );

    return version === null || value === null ? null : { version: Number(version), value };
  }

  async compareAndSetCaState(expectedVersion: number, value: string): Promise<boolean> {
    const key = this.keys.caState();
    const saved = await this.call(() =>
      this.scripts.zenCompareAndSetCaState(key, String(expectedVersion), value),
    );

    return saved === 1;
  }

  async getAuditHead(): Promise<AuditHead> {
    const [seq, hash] = await this.call(() =>
      this.client.hmget(this.keys.auditHead(), 'seq', 'hash'),
    );

    return { seq: seq === null ? 0 : Number(seq), hash: hash ?? EMPTY_AUDIT_HASH };
  }

  async appendAudit(params: AppendAuditParams): Promise<boolean> {
    if (!Number.isSafeInteger(params.seq) || params.seq < 1) return false;

    const appended = await this.call(() =>
      this.scripts.zenAppendAudit(
        this.keys.auditHead(),
        this.keys.auditLog(),
        String(params.seq),
        params.prevHash,
        params.hash,
        params.json,
      ),
    );

    return appended === 1;
  }

  async listAudit(afterSeq: number, limit: number): Promise<string[]> {
    const { seq: headSeq } = await this.getAuditHead();
    const from = Math.max(0, Math.floor(afterSeq)) + 1;
    const to = Math.min(headSeq, from + Math.floor(limit) - 1);
    if (to < from) return [];

    const fields = Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
    const jsons = await this.call(() => this.client.hmget(this.keys.auditLog(), ...fields));

    return jsons.filter((json): json is string => json !== null);
  }

  async hitRateLimit(bucket: string, key: string, limit: RateLimit): Promise<RateLimitResult> {
    const limiter = this.limiterFor(
      limiterName(bucket, limit.points, limit.durationSeconds),
      limit,
    );

    try {
      return toRateLimitResult(true, await limiter.consume(key));
    } catch (refusal) {
      if (isRateLimiterRes(refusal)) return toRateLimitResult(false, refusal);
      throw toStoreError(refusal);
    }
  }

  /** Every key under this store's prefix with its value; for tests only. */
  async dump(): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const key of await this.scanKeys()) {
      const type = await this.call(() => this.client.type(key));
      if (type === 'string') out[key] = (await this.call(() => this.client.get(key))) ?? '';
      if (type === 'hash')
        out[key] = JSON.stringify(await this.call(() => this.client.hgetall(key)));
      if (type === 'zset')
        out[key] = JSON.stringify(
          await this.call(() => this.client.zrange(key, 0, -1, 'WITHSCORES')),
        );
    }

    return out;
  }

  /** Remaining time to live (ms; -1 when none) of every key under the prefix; for tests only. */
  async keyTtlsMs(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const key of await this.scanKeys())
      out[key] = await this.call(() => this.client.pttl(key));

    return out;
  }

  private async scanKeys(): Promise<string[]> {
    const nodes = this.client instanceof Cluster ? this.client.nodes('master') : [this.client];
    const found = new Set<string>();
    for (const node of nodes) {
      let cursor = '0';
      do {
        const [next, keys] = await this.call(() =>
          node.scan(cursor, 'MATCH', this.keys.pattern(), 'COUNT', 500),
        );
        keys.forEach((key) => found.add(key));
        cursor = next;
      } while (cursor !== '0');
    }

    return [...found].sort();
  }

  private limiterFor(name: string, limit: RateLimit): RateLimiterRedis {
    let limiter = this.limiters.get(name);
    if (!limiter) {
      limiter = new RateLimiterRedis({
        storeClient: this.client,
        keyPrefix: this.keys.rateLimiter(name),
        points: limit.points,
        duration: limit.durationSeconds,
        rejectIfRedisNotReady: true,
      });
      this.limiters.set(name, limiter);
    }

    return limiter;
  }

  private async getJson<T>(key: string): Promise<T | null> {
    const json = await this.call(() => this.client.get(key));

    return json === null ? null : (JSON.parse(json) as T);
  }

  private async getJsonMany<T>(keys: string[]): Promise<T[]> {
    const out: T[] = [];
    for (let i = 0; i < keys.length; i += MGET_CHUNK) {
      const chunk = keys.slice(i, i + MGET_CHUNK);
      const jsons = await this.call(() => this.client.mget(...chunk));
      for (const json of jsons) if (json !== null) out.push(JSON.parse(json) as T);
    }

    return out;
  }

  private async call<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      throw toStoreError(error);
    }
  }

  // One warning per outage and one line when it ends, not one per failed reconnect. A server
  // that goes away cleanly emits only 'close', a refused reconnect only 'error'.
  private watchConnection(): void {
    const lost = (reason: string) => {
      if (this.outage || this.closing) return;

      this.outage = true;
      this.logger?.warn('store connection lost', { store: 'redis', reason });
    };
    this.client.on('error', (error: Error) => lost(error.message));
    this.client.on('close', () => lost('connection closed'));
    this.client.on('ready', () => {
      const message = this.connectedOnce ? 'store reconnected' : 'store connected';
      if (!this.connectedOnce || this.outage) this.logger?.info(message, { store: 'redis' });
      this.connectedOnce = true;
      this.outage = false;
    });
  }
}

function seconds(value: number): string {
  return String(Math.floor(value));
}

function createClient(options: RedisStoreOptions): Client {
  const maxDelay = options.reconnectMaxDelayMs ?? 2000;
  const retry = (attempt: number) => Math.min(50 * 2 ** Math.min(attempt, 10), maxDelay);
  const common: RedisOptions = {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: options.commandTimeoutMs ?? 2000,
    connectTimeout: options.connectTimeoutMs ?? 5000,
    retryStrategy: retry,
  };

  const target = parseRedisUrl(options.url);
  switch (target.kind) {
    case 'standalone':
      return new Redis(target.url, common);
    case 'sentinel':
      return new Redis({
        ...common,
        sentinels: target.sentinels,
        name: target.masterName,
        password: target.password,
        sentinelRetryStrategy: retry,
      });
    case 'cluster':
      return new Cluster(target.nodes, {
        lazyConnect: true,
        enableOfflineQueue: false,
        clusterRetryStrategy: retry,
        redisOptions: { ...common, password: target.password },
      });
  }
}

function defineScripts(client: Client): ScriptCommands {
  client.defineCommand('zenRecordFailedMac', { numberOfKeys: 1, lua: RECORD_FAILED_MAC });
  client.defineCommand('zenClaimToken', { numberOfKeys: 1, lua: CLAIM_TOKEN });
  client.defineCommand('zenConfirmEnrollment', { numberOfKeys: 1, lua: CONFIRM_ENROLLMENT });
  client.defineCommand('zenRecordSvid', { numberOfKeys: 1, lua: RECORD_SVID });
  client.defineCommand('zenCompareAndSetCaState', {
    numberOfKeys: 1,
    lua: COMPARE_AND_SET_CA_STATE,
  });
  client.defineCommand('zenAppendAudit', { numberOfKeys: 2, lua: APPEND_AUDIT });

  return client as unknown as ScriptCommands;
}
