import { FakeClock } from '../testing';

import { CLOCK } from './clock';
import { SystemClock, nowSeconds } from './system-clock';

describe('SystemClock', () => {
  it('reads the wall clock in milliseconds', () => {
    const before = Date.now();

    const now = new SystemClock().nowMs();

    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('is injected through a symbol token that names its owner', () => {
    expect(typeof CLOCK).toBe('symbol');
    expect(CLOCK.toString()).toBe('Symbol(zen.config.Clock)');
  });
});

describe('nowSeconds', () => {
  it('rounds the clock down to whole seconds', () => {
    expect(nowSeconds(new FakeClock(1_700_000_000_999))).toBe(1_700_000_000);
  });
});

describe('FakeClock', () => {
  it('moves only when told to', () => {
    const clock = new FakeClock(1000);

    clock.advance(500);
    const afterAdvance = clock.nowMs();
    clock.advanceSeconds(2);
    const afterSeconds = clock.nowMs();
    clock.set(42);

    expect([afterAdvance, afterSeconds, clock.nowMs()]).toEqual([1500, 3500, 42]);
  });
});
