import type { Clock } from './clock';

/** The {@link Clock} of production: `Date.now()`. */
export class SystemClock implements Clock {
  nowMs(): number {
    return Date.now();
  }
}

/** The clock's time in whole Unix seconds (rounded down), the unit used inside the libs. */
export function nowSeconds(clock: Clock): number {
  return Math.floor(clock.nowMs() / 1000);
}
