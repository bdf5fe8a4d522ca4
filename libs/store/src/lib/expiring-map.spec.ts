import { ExpiringMap } from './expiring-map';

describe('ExpiringMap', () => {
  it('hides an entry from its expiry on and keeps entries without expiry', () => {
    const map = new ExpiringMap<string>();
    map.set('a', 'x', 100);
    map.set('b', 'y', null);

    expect(map.get('a', 99)).toBe('x');
    expect(map.get('a', 100)).toBeUndefined();
    expect(map.get('b', 1e12)).toBe('y');
  });

  it('removes expired entries on sweep and lists live ones', () => {
    const map = new ExpiringMap<number>();
    map.set('old', 1, 10);
    map.set('new', 2, 30);

    map.sweep(20);

    expect(map.size).toBe(1);
    expect(map.list(20)).toEqual([['new', 2]]);
  });

  it('replaces a value and keeps its expiry', () => {
    const map = new ExpiringMap<number>();
    map.set('a', 1, 10);

    expect(map.replace('a', 2)).toBe(true);
    expect(map.replace('b', 2)).toBe(false);
    expect([map.get('a', 9), map.expiresAt('a')]).toEqual([2, 10]);
  });
});
