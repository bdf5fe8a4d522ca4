import { execFileSync } from 'node:child_process';

import {
  bundleMacString,
  enrollMacString,
  recoverMacString,
  requestSigningString,
} from './canonical-strings';
import { HmacInputError } from './errors';
import { hmacHex } from './mac';

const TOKEN_ID = '0123456789abcdef';
const ENROLL_NONCE = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';
const REQUEST_NONCE = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const CSR_DER = Buffer.from('not a real csr, just bytes');
const EXPIRED_LEAF_DER = Buffer.from('expired leaf bytes');
const BUNDLE_PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const ENROLL_KEY_HEX = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';

// Expected strings spelled out from the formulas of PROTOCOL.md; digests computed with
// `openssl dgst -sha256` over the same bytes.
const EXPECTED_BUNDLE =
  'zen-bundle-v1\n' +
  '0123456789abcdef\n' +
  '8010bfcee1842b2a4ce8f67c3e9455f0188f7a15bf39ec61a26feb75cd785821';
const EXPECTED_ENROLL =
  'zen-enroll-v1\n' +
  '0123456789abcdef\n' +
  '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n' +
  '1700000000\n' +
  '52bce8c17d93c7f5a09d639da96cbe6e4ae703924644c6bcb9e410623ff6c5f0';
const EXPECTED_CONFIRM_REQUEST =
  'zen-req-v1\n' +
  'POST\n' +
  '/v1/enroll/confirm\n' +
  '1700000000\n' +
  '0f1e2d3c4b5a69788796a5b4c3d2e1f0\n' +
  'e42e0dabbb01a5815edb1ccf5bc64553cc87eeee4d6f4c000af3152003f16836';
const EXPECTED_EMPTY_BODY_REQUEST =
  'zen-req-v1\n' +
  'GET\n' +
  '/v1/evictions?after=3\n' +
  '1700000000\n' +
  '0f1e2d3c4b5a69788796a5b4c3d2e1f0\n' +
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const EXPECTED_RECOVER =
  'zen-recover-v1\n' +
  'spiffe://zen.mesh/zen-agent/node-1\n' +
  '1700000000\n' +
  '2fa6b31d454394fbc02b0dcf8344b1aeb68de36ed7b43ea4e0ae850458a19673\n' +
  '52bce8c17d93c7f5a09d639da96cbe6e4ae703924644c6bcb9e410623ff6c5f0';
// HMAC of EXPECTED_ENROLL under ENROLL_KEY_HEX, computed with openssl.
const EXPECTED_ENROLL_MAC = 'b03b642dc7e0a08242e7b5d6edc0aad15c91fc6ba9befabe4560f8d4f3eabf77';

describe('bundleMacString', () => {
  it('builds the zen-bundle-v1 string of PROTOCOL.md byte for byte', () => {
    expect(bundleMacString({ tokenId: TOKEN_ID, bundlePem: BUNDLE_PEM })).toBe(EXPECTED_BUNDLE);
  });
});

describe('enrollMacString', () => {
  const params = { tokenId: TOKEN_ID, nonce: ENROLL_NONCE, timestamp: 1700000000, csrDer: CSR_DER };

  it('builds the zen-enroll-v1 string of PROTOCOL.md byte for byte', () => {
    expect(enrollMacString(params)).toBe(EXPECTED_ENROLL);
  });

  it('gives the same string for a timestamp sent as a decimal string', () => {
    expect(enrollMacString({ ...params, timestamp: '1700000000' })).toBe(EXPECTED_ENROLL);
  });

  it('has no trailing newline', () => {
    expect(enrollMacString(params).endsWith('\n')).toBe(false);
  });

  it('yields the MAC that openssl computes over the same string and key', () => {
    const message = enrollMacString(params);

    const output = execFileSync(
      '/usr/bin/openssl',
      ['dgst', '-sha256', '-mac', 'HMAC', '-macopt', `hexkey:${ENROLL_KEY_HEX}`],
      { input: message },
    ).toString('utf8');
    const opensslMac = output.trim().split(/\s+/).pop();

    expect(opensslMac).toBe(EXPECTED_ENROLL_MAC);
    expect(hmacHex(Buffer.from(ENROLL_KEY_HEX, 'hex'), message)).toBe(EXPECTED_ENROLL_MAC);
  });
});

describe('requestSigningString', () => {
  it('builds the zen-req-v1 string of a confirm request byte for byte', () => {
    const body = Buffer.from('{"enrollment_id":"e1"}');

    const text = requestSigningString({
      method: 'POST',
      pathAndQuery: '/v1/enroll/confirm',
      timestamp: 1700000000,
      nonce: REQUEST_NONCE,
      body,
    });

    expect(text).toBe(EXPECTED_CONFIRM_REQUEST);
  });

  it('hashes an empty body as zero bytes and keeps the query as sent', () => {
    const text = requestSigningString({
      method: 'GET',
      pathAndQuery: '/v1/evictions?after=3',
      timestamp: '1700000000',
      nonce: REQUEST_NONCE,
      body: Buffer.alloc(0),
    });

    expect(text).toBe(EXPECTED_EMPTY_BODY_REQUEST);
  });
});

describe('recoverMacString', () => {
  it('builds the zen-recover-v1 string of PROTOCOL.md byte for byte', () => {
    const text = recoverMacString({
      spiffeId: 'spiffe://zen.mesh/zen-agent/node-1',
      timestamp: 1700000000,
      expiredLeafDer: EXPIRED_LEAF_DER,
      csrDer: CSR_DER,
    });

    expect(text).toBe(EXPECTED_RECOVER);
  });
});

describe('canonical string inputs', () => {
  const enroll = { tokenId: TOKEN_ID, nonce: ENROLL_NONCE, timestamp: 1700000000, csrDer: CSR_DER };

  it.each([
    ['a token id holding a newline', { ...enroll, tokenId: 'abc\n123' }, 'tokenId'],
    ['a nonce holding a carriage return', { ...enroll, nonce: 'ab\rcd' }, 'nonce'],
    ['an empty token id', { ...enroll, tokenId: '' }, 'tokenId'],
    ['a fractional timestamp', { ...enroll, timestamp: 1.5 }, 'timestamp'],
    ['a negative timestamp', { ...enroll, timestamp: -1 }, 'timestamp'],
    ['a timestamp string with a leading zero', { ...enroll, timestamp: '0170' }, 'timestamp'],
    ['a timestamp string with a sign', { ...enroll, timestamp: '+170' }, 'timestamp'],
  ])('refuses %s with hmac_input_invalid', (_name, params, field) => {
    const attempt = (): string => enrollMacString(params);

    expect(attempt).toThrow(HmacInputError);
    expect(catchError(attempt)).toMatchObject({ code: 'hmac_input_invalid', field });
  });

  it('refuses a request target that holds a newline', () => {
    const attempt = (): string =>
      requestSigningString({
        method: 'GET',
        pathAndQuery: '/v1/keys\nx',
        timestamp: 1,
        nonce: REQUEST_NONCE,
        body: Buffer.alloc(0),
      });

    expect(catchError(attempt)).toMatchObject({
      code: 'hmac_input_invalid',
      field: 'pathAndQuery',
    });
  });

  it('keeps the rejected value out of the error message', () => {
    const error = catchError(() => enrollMacString({ ...enroll, nonce: 'secret-nonce\n' }));

    expect(error.message).not.toContain('secret-nonce');
  });
});

function catchError(action: () => unknown): Error & { code?: string } {
  try {
    action();
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected an error');
}
