import { createHmac } from 'node:crypto';

import { deriveTokenKey } from './token-service';

describe('deriveTokenKey', () => {
  const serverKey = Buffer.alloc(32, 7);

  it('is HMAC-SHA256 of the server key over "zen-token-v1\\n" and the token id', () => {
    const expected = createHmac('sha256', serverKey)
      .update('zen-token-v1\n0123456789abcdef')
      .digest();

    const key = deriveTokenKey(serverKey, '0123456789abcdef');

    expect(key.equals(expected)).toBe(true);
    expect(key).toHaveLength(32);
  });

  it('gives different keys for different token ids and server keys', () => {
    const a = deriveTokenKey(serverKey, '0123456789abcdef');
    const b = deriveTokenKey(serverKey, '0123456789abcdee');
    const c = deriveTokenKey(Buffer.alloc(32, 8), '0123456789abcdef');

    expect(a.equals(b)).toBe(false);
    expect(a.equals(c)).toBe(false);
  });
});
