import type { InjectionToken } from 'tsyringe';

/** Port: random bytes for nonces, serials, token ids and keys. */
export interface Random {
  /** `length` bytes from a cryptographically secure source in production. */
  bytes(length: number): Buffer;
}

/** Injection token of the {@link Random} port. */
export const RANDOM: InjectionToken<Random> = Symbol('zen.config.Random');
