interface Entry<T> {
  value: T;
  expiresAt: number | null;
}

/**
 * A map whose entries may carry an expiry (Unix seconds). Expired entries are invisible on read
 * and removed by `sweep`, which the owner calls from time to time so memory stays bounded.
 */
export class ExpiringMap<T> {
  private readonly entries = new Map<string, Entry<T>>();

  get(key: string, nowSeconds: number): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;

    if (isExpired(entry, nowSeconds)) {
      this.entries.delete(key);
      return undefined;
    }

    return entry.value;
  }

  expiresAt(key: string): number | null | undefined {
    return this.entries.get(key)?.expiresAt;
  }

  set(key: string, value: T, expiresAt: number | null): void {
    this.entries.set(key, { value, expiresAt });
  }

  /** Replaces the value and keeps the expiry; false when the key is absent. */
  replace(key: string, value: T): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;

    entry.value = value;

    return true;
  }

  delete(key: string): boolean {
    return this.entries.delete(key);
  }

  sweep(nowSeconds: number): void {
    for (const [key, entry] of this.entries) {
      if (isExpired(entry, nowSeconds)) this.entries.delete(key);
    }
  }

  /** Live entries in insertion order. */
  list(nowSeconds: number): [string, T][] {
    const live: [string, T][] = [];
    for (const [key, entry] of this.entries) {
      if (!isExpired(entry, nowSeconds)) live.push([key, entry.value]);
    }

    return live;
  }

  get size(): number {
    return this.entries.size;
  }
}

function isExpired(entry: Entry<unknown>, nowSeconds: number): boolean {
  return entry.expiresAt !== null && nowSeconds >= entry.expiresAt;
}
