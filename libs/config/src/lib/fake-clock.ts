import type { Clock } from './clock';

/** A {@link Clock} that moves only when told to; starts at 2023-11-14T22:13:20Z by default. */
export class FakeClock implements Clock {
  private ms: number;

  constructor(startMs = 1_700_000_000_000) {
    this.ms = startMs;
  }

  nowMs(): number {
    return this.ms;
  }

  /** Sets the time, in milliseconds since the epoch. */
  set(ms: number): void {
    this.ms = ms;
  }

  /** Moves the time forward (or back, with a negative value) by `ms` milliseconds. */
  advance(ms: number): void {
    this.ms += ms;
  }

  /** Moves the time forward by `s` seconds. */
  advanceSeconds(s: number): void {
    this.ms += s * 1000;
  }
}
