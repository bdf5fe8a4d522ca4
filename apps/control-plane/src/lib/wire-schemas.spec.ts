import { hasSinglePemBlock, pemBlockDer } from './wire-schemas';

const CSR = '-----BEGIN CERTIFICATE REQUEST-----\nAAEC\n-----END CERTIFICATE REQUEST-----\n';
const CERT = '-----BEGIN CERTIFICATE-----\nAAEC\n-----END CERTIFICATE-----\n';

describe('hasSinglePemBlock', () => {
  it.each([
    ['one CSR block', CSR, true],
    ['two CSR blocks', CSR + CSR, false],
    ['a certificate block', CERT, false],
    ['a CSR block with a certificate after it', CSR + CERT, false],
    ['an unterminated block', '-----BEGIN CERTIFICATE REQUEST-----\nAAEC\n', false],
    [
      'mismatched labels',
      '-----BEGIN CERTIFICATE REQUEST-----\nAAEC\n-----END CERTIFICATE-----',
      false,
    ],
    ['no block', 'hello', false],
  ])('answers for %s', (_name, text, expected) => {
    expect(hasSinglePemBlock(text, 'CERTIFICATE REQUEST')).toBe(expected);
  });
});

describe('pemBlockDer', () => {
  it('decodes the base64 body of the block', () => {
    expect(pemBlockDer(CSR)).toEqual(Buffer.from([0, 1, 2]));
  });
});
