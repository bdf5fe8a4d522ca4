import { isSecretEvidenceKey, normalizeEvidence } from './evidence';

describe('normalizeEvidence', () => {
  it('keeps strings, safe integers, booleans and null as they are', () => {
    const evidence = { token_id: 'tok1', attempts: 3, locked: false, serial: null };

    const result = normalizeEvidence(evidence);

    expect(result).toEqual({ token_id: 'tok1', attempts: 3, locked: false, serial: null });
  });

  it.each([
    ['a fraction', 1.5, '1.5'],
    ['an integer above 2^53', 2 ** 53, '9007199254740992'],
    ['infinity', Infinity, 'Infinity'],
    ['a bigint', 10n ** 20n, '100000000000000000000'],
  ])('turns %s into a string', (_name, value, expected) => {
    const result = normalizeEvidence({ value });

    expect(result).toEqual({ value: expected });
  });

  it('returns null for absent evidence', () => {
    expect(normalizeEvidence(undefined)).toBeNull();
    expect(normalizeEvidence(null)).toBeNull();
  });

  it.each([
    ['an object', { nested: { a: 1 } }],
    ['an array', { list: [1, 2] }],
    ['a buffer', { der: Buffer.from('x') }],
    ['undefined', { missing: undefined }],
    ['a function', { fn: () => 1 }],
  ])('refuses a value that is %s', (_name, evidence) => {
    expect(() => normalizeEvidence(evidence)).toThrow(TypeError);
  });

  it.each([
    'hmac_key',
    'secret',
    'token',
    'join_token',
    'nonce',
    'raw_nonce',
    'mac',
    'signature',
    'request_signature',
    'private_key',
    'client_secret',
    'secret_sha256',
    'password',
  ])('refuses the secret-named key %s', (key) => {
    expect(() => normalizeEvidence({ [key]: 'x' })).toThrow(/names a secret/);
  });

  it.each(['token_id', 'nonce_sha256', 'csr_sha256', 'hmac_key_id', 'serial', 'cert_sha256'])(
    'accepts the reference key %s',
    (key) => {
      expect(normalizeEvidence({ [key]: 'x' })).toEqual({ [key]: 'x' });
    },
  );

  it('refuses a key that is not snake_case', () => {
    expect(() => normalizeEvidence({ tokenId: 'x' })).toThrow(/snake_case/);
  });

  it('accepts a signature only when allowed for a checkpoint', () => {
    expect(isSecretEvidenceKey('signature', { allowSignature: true })).toBe(false);
    expect(isSecretEvidenceKey('signature')).toBe(true);
    expect(isSecretEvidenceKey('request_signature', { allowSignature: true })).toBe(true);
  });
});
