/** Test helpers of @zen/store, for specs and test/ only. */

/**
 * The jest suite every Store plugin must pass: tokens and their claim rules (claimed, resumed,
 * each denial reason), confirmation, failed-MAC locking, nonces, rememberOnce, SVID and HMAC key
 * records, evictions, CA state CAS, the audit chain, rate limits, races of 50 concurrent callers,
 * retention of expired tokens and nonces, and that a store dump holds no secret. `factory`
 * returns a fresh store, not yet started, made with the retention options it is passed.
 */
export { describeStoreContract } from './lib/store-contract';
export type { StoreFactory } from './lib/store-contract';

/**
 * The Redis URL for specs (`REDIS_URL` or `redis://127.0.0.1:6379`); undefined only when it does
 * not answer and `CI` is not `'true'`.
 */
export { redisTestUrl } from './lib/redis/redis-test-url';
