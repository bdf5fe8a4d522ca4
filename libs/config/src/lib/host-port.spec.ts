import { z } from 'zod';

import { parseHostPort, zHostPort } from './host-port';

describe('parseHostPort', () => {
  it.each([
    ['an IPv4 address', '127.0.0.1:6379', { host: '127.0.0.1', port: 6379 }],
    ['a host name', 'redis.internal:6380', { host: 'redis.internal', port: 6380 }],
    ['a bracketed IPv6 address', '[::1]:8443', { host: '::1', port: 8443 }],
    ['port zero', 'localhost:0', { host: 'localhost', port: 0 }],
  ])('splits %s', (_name, text, expected) => {
    expect(parseHostPort(text)).toEqual(expected);
  });

  it.each([
    ['a missing port', 'localhost'],
    ['a missing host', ':8443'],
    ['a port above 65535', 'localhost:65536'],
    ['a non-numeric port', 'localhost:http'],
    ['an unbracketed IPv6 address', '::1:8443'],
    ['a URL', 'http://localhost:8443'],
  ])('refuses %s', (_name, text) => {
    expect(parseHostPort(text)).toBeNull();
  });
});

describe('zHostPort', () => {
  it('outputs host and port', () => {
    expect(zHostPort().parse('0.0.0.0:8443')).toEqual({ host: '0.0.0.0', port: 8443 });
  });

  it('reports a bad value as an issue', () => {
    const result = z.object({ listen: zHostPort() }).safeParse({ listen: 'nope' });

    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({
      path: ['listen'],
      message: expect.stringContaining('host:port'),
    });
  });
});
