/** @zen/store: the Store port and its plugins `memory` and `redis`. */

/** The Store port; see `Store` for which methods are atomic. */
export { STORE } from './lib/store';
export type { Store } from './lib/store';

/** The records the store keeps (times in Unix seconds; no secret in the clear). */
export { EMPTY_AUDIT_HASH } from './lib/records';
export type {
  AppendAuditParams,
  AuditHead,
  CaStateRecord,
  ClaimDeniedReason,
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
  TokenState,
} from './lib/records';

/**
 * How long both plugins keep token and nonce records past `expiresAt`, so an expired one is
 * told apart from an unknown one (options `tokenRetentionSeconds`, `nonceRetentionSeconds`).
 */
export { DEFAULT_NONCE_RETENTION_SECONDS, DEFAULT_TOKEN_RETENTION_SECONDS } from './lib/retention';
export type { StoreRetentionOptions } from './lib/retention';

/** The embedded in-process store (the default plugin `memory`). */
export { MemoryStore } from './lib/memory-store';
export type { MemoryStoreOptions } from './lib/memory-store';

/**
 * The shared store for several replicas (plugin `redis`): standalone, Sentinel or Cluster
 * through one URL; every race decided by one Lua script; TTLs on every expiring record.
 */
export { RedisStore } from './lib/redis/redis-store';
export type { RedisStoreOptions, StoreLogger } from './lib/redis/redis-store';

/** Errors: `store_unavailable` (answer 503, retry later) and `store_failed`. */
export { StoreError, StoreFailedError, StoreUnavailableError } from './lib/errors';
export type { StoreErrorCode } from './lib/errors';
