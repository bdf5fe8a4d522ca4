import fc from 'fast-check';

import rfc4231 from './fixtures/rfc4231-hmac-sha256.json';
import { hmacHex, verifyHmacHex } from './mac';

interface Rfc4231Case {
  name: string;
  keyHex: string;
  dataHex: string;
  hmacSha256Hex: string;
  truncatedBits?: number;
}

const HEX_CHARS = '0123456789abcdef';

describe('hmacHex', () => {
  it.each((rfc4231.cases as Rfc4231Case[]).map((c) => [c.name, c] as const))(
    'matches RFC 4231 %s',
    (_name, vector) => {
      const key = Buffer.from(vector.keyHex, 'hex');
      const data = Buffer.from(vector.dataHex, 'hex');

      const mac = hmacHex(key, data);

      const hexChars = vector.truncatedBits === undefined ? 64 : vector.truncatedBits / 4;
      expect(mac).toHaveLength(64);
      expect(mac.slice(0, hexChars)).toBe(vector.hmacSha256Hex);
    },
  );

  it('covers all seven RFC 4231 test cases', () => {
    expect(rfc4231.cases).toHaveLength(7);
  });

  it('MACs a string message as its UTF-8 bytes', () => {
    const key = Buffer.from('Jefe');

    expect(hmacHex(key, 'what do ya want for nothing?')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });
});

describe('verifyHmacHex', () => {
  const key = Buffer.alloc(32, 7);
  const message = 'zen-req-v1\nGET\n/v1/keys/abc\n1700000000\nnonce\nhash';
  const good = hmacHex(key, message);

  it('accepts the MAC of the message under the key', () => {
    expect(verifyHmacHex(key, message, good)).toBe(true);
  });

  it.each([
    ['the MAC in uppercase', good.toUpperCase()],
    ['a MAC one character short', good.slice(1)],
    ['a MAC one character long', `${good}0`],
    ['an empty MAC', ''],
    ['a MAC with a non-hex character', `z${good.slice(1)}`],
    ['a MAC with a multi-byte character', `é${good.slice(2)}`],
    ['a MAC of another message', hmacHex(key, `${message}x`)],
    ['a MAC under another key', hmacHex(Buffer.alloc(32, 8), message)],
  ])('refuses %s', (_name, mac) => {
    expect(verifyHmacHex(key, message, mac)).toBe(false);
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['a buffer', Buffer.from(good, 'hex')],
  ])('returns false without throwing for %s', (_name, mac) => {
    expect(verifyHmacHex(key, message, mac as unknown as string)).toBe(false);
  });

  it('accepts every correct MAC and refuses it with any single hex character changed', () => {
    const input = fc
      .record({
        key: fc.uint8Array({ minLength: 1, maxLength: 80 }),
        message: fc.string({ maxLength: 200 }),
        position: fc.integer({ min: 0, max: 63 }),
        shift: fc.integer({ min: 1, max: 15 }),
      })
      .map((r) => ({ ...r, key: Buffer.from(r.key) }));

    fc.assert(
      fc.property(input, ({ key: k, message: m, position, shift }) => {
        const mac = hmacHex(k, m);
        const replacement = HEX_CHARS[(HEX_CHARS.indexOf(mac[position]) + shift) % 16];
        const changed = mac.slice(0, position) + replacement + mac.slice(position + 1);

        return verifyHmacHex(k, m, mac) && !verifyHmacHex(k, m, changed);
      }),
    );
  });
});
