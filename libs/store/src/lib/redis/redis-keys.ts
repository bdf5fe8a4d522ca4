const HASH_TAG = /\{[^{}]+\}/;

/**
 * The key prefix of one deployment, with a Redis Cluster hash tag so that every key of the
 * deployment lands in one slot and multi-key scripts run on Cluster. A prefix that has no
 * `{...}` tag gets `{zen}:` appended.
 */
// Limitation: one deployment's keys all live in one Cluster slot, so one deployment cannot
// spread over several Cluster shards (several deployments with distinct tags can).
export function normalizeKeyPrefix(keyPrefix: string): string {
  if (HASH_TAG.test(keyPrefix)) return keyPrefix;

  return `${keyPrefix}{zen}:`;
}

/** Names of every key the Redis plugin writes, under one prefix. */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  token(tokenId: string): string {
    return `${this.prefix}token:${tokenId}`;
  }

  enrollment(enrollmentId: string): string {
    return `${this.prefix}enrollment:${enrollmentId}`;
  }

  /** Sorted set of enrollment ids scored by createdAt. */
  enrollments(): string {
    return `${this.prefix}enrollments`;
  }

  latestEnrollmentOf(spiffeId: string): string {
    return `${this.prefix}enrollment-of:${spiffeId}`;
  }

  hmacKey(hmacKeyId: string): string {
    return `${this.prefix}hmac-key:${hmacKeyId}`;
  }

  svid(serial: string): string {
    return `${this.prefix}svid:${serial}`;
  }

  nonce(nonceSha256: string): string {
    return `${this.prefix}nonce:${nonceSha256}`;
  }

  seen(keySha256: string): string {
    return `${this.prefix}once:${keySha256}`;
  }

  eviction(spiffeId: string): string {
    return `${this.prefix}eviction:${spiffeId}`;
  }

  /** Sorted set of evicted SPIFFE IDs scored by evictedAt. */
  evictions(): string {
    return `${this.prefix}evictions`;
  }

  caState(): string {
    return `${this.prefix}ca-state`;
  }

  auditHead(): string {
    return `${this.prefix}audit-head`;
  }

  /** Hash of audit records, field = seq. */
  auditLog(): string {
    return `${this.prefix}audit-log`;
  }

  rateLimiter(name: string): string {
    return `${this.prefix}rate:${name}`;
  }

  /** SCAN pattern that matches exactly the keys under the prefix. */
  pattern(): string {
    return `${this.prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
  }
}
