import type { InjectionToken } from 'tsyringe';

/** Port: the wall clock. Code reads time only through it, so tests move a fake clock. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  nowMs(): number;
}

/** Injection token of the {@link Clock} port. */
export const CLOCK: InjectionToken<Clock> = Symbol('zen.config.Clock');
