import { parseRedisUrl } from './redis-url';

describe('parseRedisUrl', () => {
  it.each([['redis://127.0.0.1:6379/2'], ['rediss://:pw@redis.internal:6380']])(
    'passes standalone url %s through to ioredis',
    (url) => {
      expect(parseRedisUrl(url)).toEqual({ kind: 'standalone', url });
    },
  );

  it('reads sentinels, the master name and the password', () => {
    const target = parseRedisUrl('redis-sentinel://:s3cret@10.0.0.1:26379,10.0.0.2/zen-master');

    expect(target).toEqual({
      kind: 'sentinel',
      sentinels: [
        { host: '10.0.0.1', port: 26379 },
        { host: '10.0.0.2', port: 26379 },
      ],
      masterName: 'zen-master',
      password: 's3cret',
    });
  });

  it('reads cluster seed nodes, IPv6 included', () => {
    const target = parseRedisUrl('redis-cluster://a.example:7000,[::1]:7001');

    expect(target).toEqual({
      kind: 'cluster',
      nodes: [
        { host: 'a.example', port: 7000 },
        { host: '::1', port: 7001 },
      ],
      password: undefined,
    });
  });

  it.each([
    ['an unknown scheme', 'memcached://localhost:11211'],
    ['a sentinel url without master name', 'redis-sentinel://10.0.0.1:26379'],
    ['a cluster url with a path', 'redis-cluster://10.0.0.1:7000/x'],
    ['a port out of range', 'redis-cluster://10.0.0.1:70000'],
  ])('refuses %s', (_name, url) => {
    expect(() => parseRedisUrl(url)).toThrow(TypeError);
  });

  it('never repeats the password in its error message', () => {
    expect(() => parseRedisUrl('redis-sentinel://:hunter2@h:1')).toThrow(/^(?!.*hunter2)/);
  });
});
