/**
 * How long a store keeps token and nonce records past their `expiresAt`. While a record is
 * retained the store still hands it out, so a caller can tell an expired token or nonce from
 * an unknown one; after the retention the record is gone for good.
 */
export interface StoreRetentionOptions {
  /** Seconds a token record is kept after its `expiresAt`; default 86400 (one day). */
  tokenRetentionSeconds?: number;
  /** Seconds a challenge nonce record is kept after its `expiresAt`; default 300. */
  nonceRetentionSeconds?: number;
}

/** Default of `tokenRetentionSeconds`. */
export const DEFAULT_TOKEN_RETENTION_SECONDS = 86_400;

/** Default of `nonceRetentionSeconds`. */
export const DEFAULT_NONCE_RETENTION_SECONDS = 300;

/** Both retentions with defaults applied; throws TypeError unless each is an integer >= 0. */
export function resolveRetention(options: StoreRetentionOptions): Required<StoreRetentionOptions> {
  const tokenRetentionSeconds = options.tokenRetentionSeconds ?? DEFAULT_TOKEN_RETENTION_SECONDS;
  const nonceRetentionSeconds = options.nonceRetentionSeconds ?? DEFAULT_NONCE_RETENTION_SECONDS;
  assertRetention('tokenRetentionSeconds', tokenRetentionSeconds);
  assertRetention('nonceRetentionSeconds', nonceRetentionSeconds);

  return { tokenRetentionSeconds, nonceRetentionSeconds };
}

function assertRetention(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new TypeError(`${name} must be a whole number of seconds, 0 or more`);
  }
}
