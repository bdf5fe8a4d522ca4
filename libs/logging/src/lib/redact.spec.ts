import { isSecretKey, redactSecrets, redactString } from './redact';

describe('isSecretKey', () => {
  it.each([
    'secret',
    'token',
    'join_token',
    'hmac_key',
    'hmacKey',
    'HMAC_KEY',
    'key',
    'private_key',
    'privateKey',
    'private_key_pem',
    'password',
    'Authorization',
    'Zen-Signature',
    'signature',
    'nonce',
    'Zen-Nonce',
    'mac',
    'cookie',
    'set-cookie',
    'pkcs8',
    'x509_svid_key',
    'apikey',
    'accessToken',
    'client_secret_hex',
  ])('treats %s as secret', (key) => {
    expect(isSecretKey(key)).toBe(true);
  });

  it.each([
    'token_id',
    'tokenId',
    'hmac_key_id',
    'hmacKeyId',
    'Zen-Key-Id',
    'nonce_sha256',
    'csr',
    'csr_sha256',
    'public_key',
    'key_type',
    'spiffe_id',
    'serial',
    'message',
    'monkey',
    'status',
  ])('treats %s as safe', (key) => {
    expect(isSecretKey(key)).toBe(false);
  });
});

describe('redactString', () => {
  it('keeps only the token id of a join token', () => {
    const token = `zen1.0123456789abcdef.${'9'.repeat(64)}`;

    expect(redactString(`use ${token} now`)).toBe('use zen1.0123456789abcdef.[redacted] now');
  });

  it('redacts the whole of a malformed join token', () => {
    expect(redactString('zen1.xyz.abcdef')).toBe('zen1.[redacted]');
  });

  it.each(['PRIVATE KEY', 'EC PRIVATE KEY', 'RSA PRIVATE KEY', 'ENCRYPTED PRIVATE KEY'])(
    'replaces a %s block',
    (label) => {
      const pem = `-----BEGIN ${label}-----\nAAAA\nBBBB\n-----END ${label}-----`;

      expect(redactString(`x ${pem} y`)).toBe('x [redacted private key] y');
    },
  );

  it('replaces a private key block cut off before its end line', () => {
    expect(redactString('key: -----BEGIN PRIVATE KEY-----\nAAAA')).toBe(
      'key: [redacted private key]',
    );
  });

  it('keeps certificates and CSRs, which are public', () => {
    const pem = '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----';

    expect(redactString(pem)).toBe(pem);
  });

  it('cuts the password out of a URL and a bearer credential out of a header value', () => {
    expect(redactString('redis://user:hunter2@cache:6379/0')).toBe(
      'redis://user:[redacted]@cache:6379/0',
    );
    expect(redactString('Bearer abcdefghijklmnop')).toBe('Bearer [redacted]');
  });
});

describe('redactSecrets', () => {
  it('walks nested objects and arrays without changing the input', () => {
    const input = { a: [{ b: { password: 'p', keep: 1 } }], token_id: 't' };

    const output = redactSecrets(input);

    expect(output).toEqual({ a: [{ b: { password: '[redacted]', keep: 1 } }], token_id: 't' });
    expect(input.a[0].b.password).toBe('p');
  });

  it('redacts a whole object found under a secret key', () => {
    expect(redactSecrets({ key: { d: 'x', kty: 'EC' } })).toEqual({ key: '[redacted]' });
  });

  it('describes binary data by its length only', () => {
    expect(redactSecrets({ blob: Buffer.alloc(32, 1) })).toEqual({ blob: '[binary 32 bytes]' });
  });

  it('stops at ten levels of nesting', () => {
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 12; i++) deep = { next: deep };

    const text = JSON.stringify(redactSecrets(deep));

    expect(text).toContain('[truncated]');
    expect(text).not.toContain('leaf');
  });

  it('renders a shared object twice but a cycle once', () => {
    const shared = { v: 1 };
    const cyclic: unknown[] = [shared, shared];
    cyclic.push(cyclic);

    expect(redactSecrets(cyclic)).toEqual([{ v: 1 }, { v: 1 }, '[circular]']);
  });

  it('turns errors into their name, message, stack, cause and own fields', () => {
    const error = Object.assign(new Error('boom', { cause: new Error('root') }), {
      code: 'store_unavailable',
      password: 'p',
    });

    const output = redactSecrets(error) as Record<string, unknown>;

    expect(output).toMatchObject({
      name: 'Error',
      message: 'boom',
      code: 'store_unavailable',
      password: '[redacted]',
      cause: { name: 'Error', message: 'root' },
    });
    expect(output.stack).toEqual(expect.stringContaining('Error: boom'));
  });

  it('turns dates, bigints and values with toJSON into JSON data', () => {
    const output = redactSecrets({
      at: new Date(0),
      big: 12n,
      url: new URL('redis://u:pw@h:1'),
      fn: () => 1,
    });

    expect(output).toEqual({
      at: '1970-01-01T00:00:00.000Z',
      big: '12',
      url: 'redis://u:[redacted]@h:1',
      fn: undefined,
    });
  });
});
