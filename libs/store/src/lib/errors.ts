/** Stable machine codes of the store library's errors. */
export type StoreErrorCode = 'store_unavailable' | 'store_failed';

/** Base class of every error the store raises; `code` narrows the kind. */
export abstract class StoreError extends Error {
  abstract readonly code: StoreErrorCode;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * The backing store cannot be reached right now (connection refused or lost, command timed out,
 * replica read-only during failover). Callers answer `503 unavailable` and may retry later.
 */
export class StoreUnavailableError extends StoreError {
  readonly code = 'store_unavailable' as const;

  constructor(message = 'store unavailable', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The backing store refused a command in a way retrying will not fix (wrong type, bad script). */
export class StoreFailedError extends StoreError {
  readonly code = 'store_failed' as const;

  constructor(message = 'store operation failed', options?: { cause?: unknown }) {
    super(message, options);
  }
}
