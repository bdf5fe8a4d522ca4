import { normalizeKeyPrefix, RedisKeys } from './redis-keys';

describe('normalizeKeyPrefix', () => {
  it('keeps a prefix that has a hash tag', () => {
    expect(normalizeKeyPrefix('zen:{prod}:')).toBe('zen:{prod}:');
  });

  it('appends a hash tag to a prefix without one', () => {
    expect(normalizeKeyPrefix('myapp:')).toBe('myapp:{zen}:');
  });
});

describe('RedisKeys', () => {
  it('puts every key under the prefix', () => {
    const keys = new RedisKeys('zen:{t}:');

    expect(keys.token('ab')).toBe('zen:{t}:token:ab');
    expect(keys.latestEnrollmentOf('spiffe://zen.mesh/x/y')).toBe(
      'zen:{t}:enrollment-of:spiffe://zen.mesh/x/y',
    );
  });

  it('escapes glob characters of the prefix in its scan pattern', () => {
    expect(new RedisKeys('zen:{a*b}:').pattern()).toBe('zen:{a\\*b}:*');
  });
});
