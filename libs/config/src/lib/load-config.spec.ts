import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { z } from 'zod';

import { zDuration } from './duration';
import { ConfigError } from './errors';
import { zHostPort } from './host-port';
import { loadConfig } from './load-config';

const schema = z.object({
  store: z.enum(['memory', 'redis']).default('memory'),
  redisUrl: z.string().default('redis://127.0.0.1:6379'),
  svidTtl: zDuration().default(3600),
  port: z.number().int().min(0).max(65_535).default(8443),
  metrics: z.boolean().default(false),
  listen: zHostPort().default({ host: '0.0.0.0', port: 8443 }),
  dnsNames: z.array(z.string()).default(['localhost']),
});

describe('loadConfig', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'zen-config-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const writeJson = (name: string, content: string): string => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  it('returns the schema defaults when no source sets anything', () => {
    const config = loadConfig(schema, {});

    expect(config).toEqual({
      store: 'memory',
      redisUrl: 'redis://127.0.0.1:6379',
      svidTtl: 3600,
      port: 8443,
      metrics: false,
      listen: { host: '0.0.0.0', port: 8443 },
      dnsNames: ['localhost'],
    });
  });

  it('lets the file override defaults, env override the file and flags override env', () => {
    const file = writeJson('layers.json', '{"store":"redis","svidTtl":"2h","port":9000}');
    const env = { ZEN_SVID_TTL: '30m', ZEN_PORT: '9100' };
    const flags = { port: 9200, svidTtl: undefined };

    const config = loadConfig(schema, { file, env, flags });

    expect(config).toMatchObject({ store: 'redis', svidTtl: 1800, port: 9200 });
  });

  it('maps prefixed environment variables to camelCase settings and coerces them', () => {
    const env = {
      ZEN_REDIS_URL: 'redis://cache:6379',
      ZEN_METRICS: 'true',
      ZEN_PORT: '7000',
      ZEN_LISTEN: '[::1]:7001',
      ZEN_DNS_NAMES: 'localhost, zen.internal',
      PATH: '/usr/bin',
    };

    const config = loadConfig(schema, { env });

    expect(config).toMatchObject({
      redisUrl: 'redis://cache:6379',
      metrics: true,
      port: 7000,
      listen: { host: '::1', port: 7001 },
      dnsNames: ['localhost', 'zen.internal'],
    });
  });

  it('honours another prefix and ignores variables without it', () => {
    const env = { AGENT_PORT: '7000', ZEN_PORT: '7100' };

    expect(loadConfig(schema, { env, envPrefix: 'AGENT_' }).port).toBe(7000);
  });

  it('treats an empty environment variable as unset', () => {
    expect(loadConfig(schema, { env: { ZEN_PORT: '' } }).port).toBe(8443);
  });

  it('ignores unknown environment variables and flags', () => {
    const config = loadConfig(schema, { env: { ZEN_UNKNOWN: 'x' }, flags: { config: 'f.json' } });

    expect(config).not.toHaveProperty('unknown');
    expect(config).not.toHaveProperty('config');
  });

  it('coerces string flags the way it coerces the environment', () => {
    expect(loadConfig(schema, { flags: { port: '7200', metrics: 'yes' } })).toMatchObject({
      port: 7200,
      metrics: true,
    });
  });

  it('names every bad setting and the source it came from', () => {
    const file = writeJson('bad.json', '{"port":70000}');
    const env = { ZEN_SVID_TTL: '0', ZEN_METRICS: 'maybe' };
    const flags = { store: 'disk' };

    const error = catchConfigError(() => loadConfig(schema, { file, env, flags }));

    expect(error.code).toBe('config_invalid');
    expect(error.message).toMatch(/^invalid configuration: /);
    expect(error.message).toContain(`port (from file ${file}): `);
    expect(error.message).toContain('svidTtl (from env ZEN_SVID_TTL): must be greater than zero');
    expect(error.message).toContain('metrics (from env ZEN_METRICS): ');
    expect(error.message).toContain('store (from flag --store): ');
    expect(error.issues.map((i) => i.setting).sort()).toEqual([
      'metrics',
      'port',
      'store',
      'svidTtl',
    ]);
  });

  it('reports a required setting that no source gives as not set', () => {
    const required = z.object({ trustDomain: z.string() });

    const error = catchConfigError(() => loadConfig(required, {}));

    expect(error.issues).toEqual([
      { setting: 'trustDomain', source: 'not set', message: expect.any(String) },
    ]);
    expect(error.message).toContain('trustDomain (not set): ');
  });

  it('refuses a key in the file that the schema does not know', () => {
    const file = writeJson('typo.json', '{"svidTTL":"1h"}');

    const error = catchConfigError(() => loadConfig(schema, { file }));

    expect(error.issues).toEqual([
      { setting: 'svidTTL', source: `file ${file}`, message: 'is not a known setting' },
    ]);
  });

  it.each([
    ['a missing file', 'absent.json', null, 'cannot be read (ENOENT)'],
    ['a file that is not JSON', 'broken.json', '{"port": 8443,', 'is not valid JSON'],
    ['a file holding an array', 'array.json', '[1,2]', 'must hold a JSON object of settings'],
  ])('refuses %s', (_name, fileName, content, message) => {
    const file = content === null ? join(dir, fileName) : writeJson(fileName, content);

    const error = catchConfigError(() => loadConfig(schema, { file }));

    expect(error.issues).toEqual([{ setting: '(file)', source: `file ${file}`, message }]);
  });

  describe('secret settings', () => {
    const SECRET = 's3cr3t-v4lue-0123';
    const echoing = (iss: { input?: unknown }): string => `bad value ${String(iss.input)}`;
    const secretSchema = z.object({
      hmacKey: z.string().length(64, { error: echoing }),
      adminToken: z.string().regex(/^zen1\./, { error: echoing }),
      label: z.string().length(64, { error: echoing }),
    });

    it('never echoes the value of a setting named like a secret', () => {
      const env = { ZEN_HMAC_KEY: SECRET, ZEN_ADMIN_TOKEN: SECRET, ZEN_LABEL: 'plain-label' };

      const error = catchConfigError(() => loadConfig(secretSchema, { env }));

      expect(error.message).not.toContain(SECRET);
      expect(error.message).toContain('hmacKey (from env ZEN_HMAC_KEY): bad value [redacted]');
      expect(error.message).toContain('adminToken (from env ZEN_ADMIN_TOKEN): ');
      expect(error.message).toContain('label (from env ZEN_LABEL): bad value plain-label');
    });

    it('does not quote a file that fails to parse', () => {
      const file = writeJson('secret.json', `{"hmacKey": ${SECRET}}`);

      const error = catchConfigError(() => loadConfig(secretSchema, { file }));

      expect(error.message).not.toContain(SECRET);
    });
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
