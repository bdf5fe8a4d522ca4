import { sha256hex } from './digest';
import { HmacInputError, ReplayError, SkewError } from './errors';
import type { SeenNonceMemory } from './seen-nonce-memory';

/** Largest allowed distance between a request timestamp and the verifier clock, in seconds. */
export const SKEW_SECONDS = 300;
/** How long a nonce is remembered, in seconds: the whole skew window, both sides of now. */
export const REPLAY_WINDOW_SECONDS = 600;

/** Options of {@link ReplayWindow}; `windowSeconds` must be at least twice `skewSeconds`. */
export interface ReplayWindowOptions {
  skewSeconds?: number;
  windowSeconds?: number;
}

/** Inputs of {@link ReplayWindow.check}; times are Unix seconds. */
export interface ReplayCheckParams {
  keyId: string;
  nonce: string;
  timestamp: number;
  nowSeconds: number;
}

/**
 * Refuses signed requests whose timestamp is off by more than the skew (300 s) or whose
 * nonce was already used with the same key id in the last window (600 s), as PROTOCOL.md
 * "Signed requests" requires. Run it after the signature check, so that only authenticated
 * requests fill the memory.
 */
export class ReplayWindow {
  private readonly skewSeconds: number;
  private readonly windowSeconds: number;

  constructor(
    private readonly memory: SeenNonceMemory,
    opts: ReplayWindowOptions = {},
  ) {
    this.skewSeconds = opts.skewSeconds ?? SKEW_SECONDS;
    this.windowSeconds = opts.windowSeconds ?? REPLAY_WINDOW_SECONDS;
    // A shorter memory would forget a nonce while its timestamp is still acceptable.
    if (!(this.skewSeconds >= 0) || !(this.windowSeconds >= 2 * this.skewSeconds)) {
      throw new TypeError('windowSeconds must be at least twice skewSeconds');
    }
  }

  /**
   * Accepts a (key id, nonce, timestamp) once. A timestamp exactly `skewSeconds` away is
   * still accepted. Throws `SkewError` ('skew') before touching the memory, then
   * `ReplayError` ('replay'); `HmacInputError` ('hmac_input_invalid') for an empty key id or
   * nonce or a non-integer timestamp. The memory sees only a hash, never the raw nonce.
   */
  async check(p: ReplayCheckParams): Promise<void> {
    if (typeof p.keyId !== 'string' || p.keyId.length === 0) {
      throw new HmacInputError('keyId', 'must be a non-empty string');
    }
    if (typeof p.nonce !== 'string' || p.nonce.length === 0) {
      throw new HmacInputError('nonce', 'must be a non-empty string');
    }
    if (!Number.isSafeInteger(p.timestamp)) {
      throw new HmacInputError('timestamp', 'must be a whole number of seconds');
    }

    const skew = p.timestamp - p.nowSeconds;
    if (Math.abs(skew) > this.skewSeconds) throw new SkewError(skew);

    // JSON keeps the pair unambiguous whatever characters the key id holds.
    const key = `zen-replay-v1:${sha256hex(JSON.stringify([p.keyId, p.nonce]))}`;
    // One extra second: clocks read in whole seconds, so a nonce first seen late in a second
    // must outlive the last second in which its timestamp is still acceptable.
    const first = await this.memory.rememberOnce(key, this.windowSeconds + 1);
    if (!first) throw new ReplayError(p.keyId);
  }
}
