import type { SeenNonceMemory } from './seen-nonce-memory';

const SWEEP_INTERVAL_MS = 10_000;

/**
 * In-process {@link SeenNonceMemory}: a map from key to expiry time. Atomic within one
 * process (the check and the insert run without an await between them). Expired entries are
 * swept at most every 10 s of the injected clock, so memory holds only live entries plus
 * those that expired since the last sweep.
 */
export class MemorySeenNonceMemory implements SeenNonceMemory {
  private readonly expiresAtMs = new Map<string, number>();
  private nextSweepMs: number;

  /** @param nowMs wall clock in milliseconds; `Date.now` by default, a fake clock in tests */
  constructor(private readonly nowMs: () => number = Date.now) {
    this.nextSweepMs = nowMs() + SWEEP_INTERVAL_MS;
  }

  /** Number of entries held, expired or not, since the last sweep. */
  get size(): number {
    return this.expiresAtMs.size;
  }

  async rememberOnce(key: string, ttlSeconds: number): Promise<boolean> {
    if (!(ttlSeconds > 0)) throw new TypeError('ttlSeconds must be positive');
    const now = this.nowMs();
    this.sweepIfDue(now);

    const expiresAt = this.expiresAtMs.get(key);
    if (expiresAt !== undefined && expiresAt > now) return false;
    this.expiresAtMs.delete(key);
    this.expiresAtMs.set(key, now + ttlSeconds * 1000);

    return true;
  }

  private sweepIfDue(now: number): void {
    if (now < this.nextSweepMs) return;
    for (const [key, expiresAt] of this.expiresAtMs) {
      if (expiresAt <= now) this.expiresAtMs.delete(key);
    }
    this.nextSweepMs = now + SWEEP_INTERVAL_MS;
  }
}
