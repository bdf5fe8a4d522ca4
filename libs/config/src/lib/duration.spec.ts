import { z } from 'zod';

import { parseDuration, zDuration } from './duration';
import { ConfigError } from './errors';

describe('parseDuration', () => {
  it.each([
    ['seconds with a unit', '90s', 90],
    ['minutes', '10m', 600],
    ['hours', '1h', 3600],
    ['days', '7d', 604_800],
    ['plain seconds', '300', 300],
    ['a value with surrounding whitespace', ' 5m ', 300],
  ])('reads %s', (_name, text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each([
    ['zero', '0', 'must be greater than zero'],
    ['zero hours', '0h', 'must be greater than zero'],
    ['a negative number', '-5', 'must not be negative'],
    ['a negative duration with a unit', '-1h', 'must not be negative'],
    ['an unknown unit', '5w', 'followed by s, m, h or d'],
    ['milliseconds', '500ms', 'followed by s, m, h or d'],
    ['a fraction', '1.5h', 'followed by s, m, h or d'],
    ['a compound duration', '1h30m', 'followed by s, m, h or d'],
    ['an empty string', '', 'followed by s, m, h or d'],
    ['words', 'soon', 'followed by s, m, h or d'],
    ['an uppercase unit', '1H', 'followed by s, m, h or d'],
    ['a value past the safe integer range', '9999999999999999d', 'is too large'],
    ['a value with too many digits', '12345678901234567', 'followed by s, m, h or d'],
  ])('refuses %s with config_invalid', (_name, text, reason) => {
    const error = catchConfigError(() => parseDuration(text));

    expect(error.code).toBe('config_invalid');
    expect(error.message).toContain(reason);
  });
});

describe('zDuration', () => {
  const schema = z.object({ ttl: zDuration() });

  it('turns a duration string into seconds', () => {
    expect(schema.parse({ ttl: '2h' })).toEqual({ ttl: 7200 });
  });

  it('accepts a positive whole number of seconds', () => {
    expect(schema.parse({ ttl: 45 })).toEqual({ ttl: 45 });
  });

  it.each([
    ['zero', 0],
    ['a negative number', -10],
    ['a fraction', 1.5],
    ['garbage', 'later'],
    ['a boolean', true],
  ])('refuses %s', (_name, ttl) => {
    expect(schema.safeParse({ ttl }).success).toBe(false);
  });

  it('uses a default given in seconds', () => {
    const withDefault = z.object({ ttl: zDuration().default(3600) });

    expect(withDefault.parse({})).toEqual({ ttl: 3600 });
  });
});

function catchConfigError(action: () => unknown): ConfigError {
  try {
    action();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}
