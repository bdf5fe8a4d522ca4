import { loadConfig } from '@zen/config';

import { controlPlaneConfigSchema, parseListen } from './config';

describe('controlPlaneConfigSchema', () => {
  it('fills the documented defaults', () => {
    const config = loadConfig(controlPlaneConfigSchema, { flags: { stateDir: '/tmp/x' } });

    expect(config).toMatchObject({
      listen: '127.0.0.1:8443',
      san: [],
      store: 'memory',
      trustDomain: 'zen.mesh',
      signer: 'file',
      svidTtl: 3600,
      tokenTtl: 3600,
      confirmWindow: 600,
      nonceTtl: 60,
      tokenRetention: 86400,
      nonceRetention: 300,
      maxFailedMacs: 5,
    });
  });

  it('reads durations as text from env and flags', () => {
    const config = loadConfig(controlPlaneConfigSchema, {
      env: { ZEN_SVID_TTL: '90s', ZEN_STATE_DIR: '/tmp/x', ZEN_TOKEN_RETENTION: '2d' },
      envPrefix: 'ZEN_',
      flags: { caTtl: '7d', nonceTtl: '2m', nonceRetention: '10m' },
    });

    expect(config.svidTtl).toBe(90);
    expect(config.tokenRetention).toBe(2 * 86400);
    expect(config.nonceRetention).toBe(600);
    expect(config.caTtl).toBe(7 * 86400);
    expect(config.nonceTtl).toBe(120);
  });

  it('splits a comma-separated SAN list from the environment', () => {
    const config = loadConfig(controlPlaneConfigSchema, {
      env: { ZEN_SAN: 'cp.example, 10.0.0.1', ZEN_STATE_DIR: '/tmp/x' },
      envPrefix: 'ZEN_',
    });

    expect(config.san).toEqual(['cp.example', '10.0.0.1']);
  });

  it('names every bad setting', () => {
    expect(() =>
      loadConfig(controlPlaneConfigSchema, {
        flags: { stateDir: '/tmp/x', store: 'sqlite', svidTtl: 'soon' },
      }),
    ).toThrow(expect.objectContaining({ code: 'config_invalid' }));
  });
});

describe('parseListen', () => {
  it.each([
    ['an IPv4 address', '127.0.0.1:8443', { host: '127.0.0.1', port: 8443 }],
    ['a bracketed IPv6 address', '[::1]:9000', { host: '::1', port: 9000 }],
    ['a host name', 'localhost:0', { host: 'localhost', port: 0 }],
  ])('splits %s', (_name, listen, expected) => {
    expect(parseListen(listen)).toEqual(expected);
  });
});
