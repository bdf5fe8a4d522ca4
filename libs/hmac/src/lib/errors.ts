/** Every failure code of `@zen/hmac`; `replay` and `skew` are also wire codes of PROTOCOL.md. */
export type HmacErrorCode = 'replay' | 'skew' | 'hmac_input_invalid';

/** Base class of the coded errors thrown by `@zen/hmac`; `switch (err.code)` narrows the type. */
export abstract class HmacError extends Error {
  abstract readonly code: HmacErrorCode;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A nonce was already seen for the same key id inside the replay window. */
export class ReplayError extends HmacError {
  readonly code = 'replay' as const;
  readonly keyId: string;

  constructor(keyId: string) {
    super(`nonce already seen for key id ${keyId}`);
    this.keyId = keyId;
  }
}

/** A timestamp lies further from the verifier's clock than the allowed skew. */
export class SkewError extends HmacError {
  readonly code = 'skew' as const;
  readonly skewSeconds: number;

  /** @param skewSeconds signed distance `timestamp - now`, in seconds */
  constructor(skewSeconds: number) {
    const direction = skewSeconds < 0 ? 'behind' : 'ahead of';
    super(`timestamp is ${Math.abs(skewSeconds)} s ${direction} the clock`);
    this.skewSeconds = skewSeconds;
  }
}

/**
 * A field that goes into a canonical string, or a replay check input, is malformed: a field
 * containing the `\n` separator, an empty identifier, or a timestamp that is not a whole
 * number of seconds. The message names the field, never its value.
 */
export class HmacInputError extends HmacError {
  readonly code = 'hmac_input_invalid' as const;
  readonly field: string;

  constructor(field: string, reason: string) {
    super(`${field} ${reason}`);
    this.field = field;
  }
}
