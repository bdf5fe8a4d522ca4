import type { InjectionToken } from 'tsyringe';

import type {
  AppendAuditParams,
  AuditHead,
  CaStateRecord,
  ClaimTokenParams,
  ClaimTokenResult,
  ConfirmEnrollmentResult,
  EnrollmentRecord,
  EvictionRecord,
  HmacKeyRecord,
  NonceRecord,
  RateLimit,
  RateLimitResult,
  SvidRecord,
  TokenRecord,
} from './records';

/**
 * Everything the control plane keeps: join tokens, challenge nonces, enrollments, wrapped HMAC
 * keys, SVID records, evictions, CA state and the audit chain. Times are Unix seconds.
 *
 * Methods marked ATOMIC decide a race inside the store itself (one Lua script on Redis, one
 * synchronous step in memory), so several control-plane replicas sharing one store never both
 * win. Records with an expiry vanish after it, so nothing grows without bound. Tokens and
 * challenge nonces are kept a retention period past their `expiresAt` first (plugin options
 * `tokenRetentionSeconds`, default 86400, and `nonceRetentionSeconds`, default 300): in that
 * time the store still returns them, with `expiresAt` in the past, so callers can tell an
 * expired token or nonce from an unknown one and decide for themselves.
 *
 * Every method rejects with `StoreUnavailableError` (`store_unavailable`) when the backing store
 * cannot be reached, promptly rather than hanging.
 */
export interface Store {
  /** Connects; rejects with `store_unavailable` when the backend does not answer in time. */
  start(): Promise<void>;
  /** Disconnects; later calls reject. */
  close(): Promise<void>;
  /** Readiness probe; rejects with `store_unavailable` when the backend is down. */
  ping(): Promise<void>;

  /**
   * Stores a token; it is kept until `expiresAt` plus the token retention (and while pending at
   * least until its enrollment's `confirmBy`).
   */
  putToken(token: TokenRecord): Promise<void>;
  /**
   * The token, expired ones included while retained (check `expiresAt`); null when unknown or
   * past its retention.
   */
  getToken(tokenId: string): Promise<TokenRecord | null>;
  /**
   * ATOMIC: counts one failed MAC against the token and locks it once `maxFailures` is reached.
   * Null when the token is unknown or past its retention.
   */
  recordFailedMac(
    tokenId: string,
    maxFailures: number,
  ): Promise<{ failedMacs: number; locked: boolean } | null>;
  /**
   * ATOMIC: an unused, unexpired (at `nowSeconds`), unlocked token becomes pending and the
   * enrollment and HMAC key record are stored (`claimed`). A pending token whose enrollment is
   * unconfirmed, inside its confirm window and for the same public key answers `resumed` with
   * the stored enrollment (the crash-safe retry of PROTOCOL.md); the new records are then
   * discarded. Anything else is `denied` with the precise reason: an expired token still
   * retained is `token_expired`, one past its retention `token_unknown`.
   */
  claimToken(params: ClaimTokenParams): Promise<ClaimTokenResult>;
  /**
   * ATOMIC: activates a pending enrollment inside its confirm window and marks its token spent.
   */
  confirmEnrollment(enrollmentId: string, nowSeconds: number): Promise<ConfirmEnrollmentResult>;
  /** The enrollment, or null. */
  getEnrollment(enrollmentId: string): Promise<EnrollmentRecord | null>;
  /** The most recently claimed enrollment of a SPIFFE ID, or null. */
  findEnrollmentBySpiffeId(spiffeId: string): Promise<EnrollmentRecord | null>;
  /** Every enrollment, oldest first. */
  listEnrollments(): Promise<EnrollmentRecord[]>;

  /**
   * Stores an issued SVID until `keepUntil`, advances its enrollment's `lastSerial` and
   * `lastExpiresAt` (never backwards) and extends the enrollment's HMAC key to `keepUntil`.
   */
  recordSvid(svid: SvidRecord, keepUntil: number): Promise<void>;
  /** The SVID record, or null when unknown or past its keep time. */
  getSvid(serial: string): Promise<SvidRecord | null>;
  /** The wrapped HMAC key record, or null when unknown or expired. */
  getHmacKey(hmacKeyId: string): Promise<HmacKeyRecord | null>;

  /** Stores a challenge nonce under its SHA-256 until `expiresAt` plus the nonce retention. */
  putNonce(nonce: string, record: NonceRecord): Promise<void>;
  /**
   * ATOMIC get-and-delete: the first caller gets the record, every later one null. An expired
   * nonce still retained is returned (and consumed) like any other: check `expiresAt`.
   */
  consumeNonce(nonce: string): Promise<NonceRecord | null>;
  /**
   * ATOMIC set-if-absent for `ttlSeconds`: true the first time a key is seen in that window.
   * Keys are kept hashed. Fits `SeenNonceMemory` of @zen/hmac.
   */
  rememberOnce(key: string, ttlSeconds: number): Promise<boolean>;

  /** Records (or replaces) the eviction of a SPIFFE ID. */
  evict(eviction: EvictionRecord): Promise<void>;
  /** The eviction of a SPIFFE ID, or null. */
  getEviction(spiffeId: string): Promise<EvictionRecord | null>;
  /** Every eviction, oldest first. */
  listEvictions(): Promise<EvictionRecord[]>;

  /** The CA state and its version, or null when none was saved. */
  getCaState(): Promise<CaStateRecord | null>;
  /** ATOMIC: saves `value` as version `expectedVersion + 1` iff the version is unchanged. */
  compareAndSetCaState(expectedVersion: number, value: string): Promise<boolean>;

  /** The last audit record's seq and hash. */
  getAuditHead(): Promise<AuditHead>;
  /** ATOMIC: appends iff the head is `(seq - 1, prevHash)`; false on conflict. */
  appendAudit(params: AppendAuditParams): Promise<boolean>;
  /** Raw JSON of the records with seq > `afterSeq`, ascending, at most `limit`. */
  listAudit(afterSeq: number, limit: number): Promise<string[]>;

  /** ATOMIC: counts one hit of `key` in `bucket` against `limit`. */
  hitRateLimit(bucket: string, key: string, limit: RateLimit): Promise<RateLimitResult>;
}

/** Injection token of the Store port. */
export const STORE: InjectionToken<Store> = Symbol('zen.store.Store');
