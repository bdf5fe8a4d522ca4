import { hostname } from 'node:os';
import { Writable } from 'node:stream';

import { createLogger } from './create-logger';
import { LOG_FIELDS } from './log-fields';

const TOKEN_ID = '0123456789abcdef';
const TOKEN_SECRET = 'a1'.repeat(32);
const JOIN_TOKEN = `zen1.${TOKEN_ID}.${TOKEN_SECRET}`;
const HMAC_KEY = '5e'.repeat(32);
const HMAC_KEY_ID = 'hk_0011223344556677';
const PEM_BODY = 'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgSECRETSECRETSECRET';
const PRIVATE_KEY_PEM = `-----BEGIN PRIVATE KEY-----\n${PEM_BODY}\n-----END PRIVATE KEY-----\n`;
const EC_KEY_PEM = `-----BEGIN EC PRIVATE KEY-----\n${PEM_BODY}\n-----END EC PRIVATE KEY-----`;

function streamLogger(level = 'debug'): {
  logger: ReturnType<typeof createLogger>;
  output: () => string;
} {
  let written = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback): void {
      written += chunk.toString();
      callback();
    },
  });
  const logger = createLogger({ component: 'control-plane', instance: 'cp-1', level, stream });

  return { logger, output: () => written };
}

function expectNoSecrets(output: string): void {
  expect(output).not.toContain(TOKEN_SECRET);
  expect(output).not.toContain(HMAC_KEY);
  expect(output).not.toContain(PEM_BODY);
  expect(output).not.toContain('SECRETSECRET');
}

describe('createLogger', () => {
  it('writes one JSON object per line with timestamp, level, message, component, instance', () => {
    const { logger, output } = streamLogger();

    logger.info('svid issued', { [LOG_FIELDS.serial]: '1a2b' });
    logger.warn('store reconnecting');

    const lines = output()
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toEqual({
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      level: 'info',
      message: 'svid issued',
      component: 'control-plane',
      instance: 'cp-1',
      serial: '1a2b',
    });
    expect(Object.keys(lines[0]).slice(0, 5)).toEqual([
      'timestamp',
      'level',
      'message',
      'component',
      'instance',
    ]);
    expect(lines[1]).toMatchObject({ level: 'warn', message: 'store reconnecting' });
  });

  it('names the instance after the host and process by default', () => {
    let written = '';
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback): void {
        written += chunk.toString();
        callback();
      },
    });

    createLogger({ component: 'zen-agent', stream }).info('listening');

    expect(JSON.parse(written)).toMatchObject({ instance: `${hostname()}-${process.pid}` });
  });

  it('drops lines below its level', () => {
    const { logger, output } = streamLogger('info');

    logger.debug('cache hit');

    expect(output()).toBe('');
  });

  it('refuses an unknown level with logging_level_invalid', () => {
    expect(() => createLogger({ component: 'x', level: 'loud' })).toThrow(
      expect.objectContaining({ code: 'logging_level_invalid' }),
    );
  });

  it('writes an error with its message and stack', () => {
    const { logger, output } = streamLogger();

    logger.error(new Error('signer failed'));

    const line = JSON.parse(output());
    expect(line).toMatchObject({ level: 'error', message: 'signer failed' });
    expect(line.stack).toMatch(/^Error: signer failed\n\s+at /);
  });

  describe('redaction of secrets passed by mistake', () => {
    it('keeps a join token secret out of the message while keeping its token id', () => {
      const { logger, output } = streamLogger();

      logger.info(`token created ${JOIN_TOKEN}`);

      expectNoSecrets(output());
      expect(JSON.parse(output()).message).toBe(`token created zen1.${TOKEN_ID}.[redacted]`);
    });

    it('keeps secrets out of top-level and nested meta fields', () => {
      const { logger, output } = streamLogger();

      logger.info('enrollment accepted', {
        token: JOIN_TOKEN,
        hmac_key: HMAC_KEY,
        key: HMAC_KEY,
        token_id: TOKEN_ID,
        hmac_key_id: HMAC_KEY_ID,
        note: `pasted ${JOIN_TOKEN}`,
        response: { body: { hmac_key: HMAC_KEY, key: HMAC_KEY, hmac_key_id: HMAC_KEY_ID } },
        list: [{ hmacKey: HMAC_KEY }, PRIVATE_KEY_PEM],
      });

      expectNoSecrets(output());
      const line = JSON.parse(output());
      expect(line).toMatchObject({
        token: '[redacted]',
        hmac_key: '[redacted]',
        key: '[redacted]',
        token_id: TOKEN_ID,
        hmac_key_id: HMAC_KEY_ID,
        note: `pasted zen1.${TOKEN_ID}.[redacted]`,
        response: { body: { hmac_key: '[redacted]', key: '[redacted]', hmac_key_id: HMAC_KEY_ID } },
        list: [{ hmacKey: '[redacted]' }, '[redacted private key]\n'],
      });
    });

    it('replaces a PEM private key in the message', () => {
      const { logger, output } = streamLogger();

      logger.warn(`loaded key ${EC_KEY_PEM} from disk`);

      expectNoSecrets(output());
      expect(JSON.parse(output()).message).toBe('loaded key [redacted private key] from disk');
    });

    it('redacts inside an error message and stack, logged directly or as meta', () => {
      const { logger, output } = streamLogger();
      const error = new Error(`bad token ${JOIN_TOKEN} with ${PRIVATE_KEY_PEM}`);

      logger.error(error);
      logger.error('enrollment failed', error);
      logger.error('wrapped', { err: new Error('outer', { cause: error }) });

      expectNoSecrets(output());
      const lines = output()
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(lines).toHaveLength(3);
      expect(lines[0].stack).toContain(`zen1.${TOKEN_ID}.[redacted]`);
      expect(lines[1].message).toContain('enrollment failed bad token');
      expect(lines[2].err.cause.message).toContain('[redacted private key]');
    });

    it('redacts metadata bound to a child logger', () => {
      const { logger, output } = streamLogger();

      logger.child({ module: 'ca.issuer', hmac_key: HMAC_KEY }).info('svid issued');

      expectNoSecrets(output());
      expect(JSON.parse(output())).toMatchObject({ module: 'ca.issuer', hmac_key: '[redacted]' });
    });

    it('writes a line for a cyclic structure without throwing', () => {
      const { logger, output } = streamLogger();
      const cyclic: Record<string, unknown> = { name: 'a' };
      cyclic.self = cyclic;

      logger.info('cycle', { cyclic });

      expect(JSON.parse(output()).cyclic).toEqual({ name: 'a', self: '[circular]' });
    });
  });
});
