import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  certificateSha256,
  isSingleDerSequence,
  parsePemCertificates,
  splitDerCertificates,
  toPemCertificates,
} from './certificate-encoding';
import { CertificateEncodingError } from './errors';

const ROOT_PEM = readFileSync(join(__dirname, 'fixtures', 'openssl-root.pem'), 'utf8');
const LEAF_PEM = readFileSync(join(__dirname, 'fixtures', 'openssl-leaf.pem'), 'utf8');
const KEY_BLOCK = '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n';

function codeOf(action: () => unknown): string {
  try {
    action();
  } catch (err) {
    if (err instanceof CertificateEncodingError) {
      return err.code;
    }
    throw err;
  }
  return 'accepted';
}

describe('parsePemCertificates', () => {
  it('decodes every certificate block in order', () => {
    const ders = parsePemCertificates(LEAF_PEM + ROOT_PEM);

    expect(ders).toHaveLength(2);
    expect(toPemCertificates(ders)).toBe(LEAF_PEM + ROOT_PEM);
  });

  it('skips blocks with other labels and text between blocks', () => {
    const ders = parsePemCertificates(`# roots\n${KEY_BLOCK}${ROOT_PEM}trailing words\n`);

    expect(ders).toHaveLength(1);
    expect(toPemCertificates(ders)).toBe(ROOT_PEM);
  });

  it('reads CRLF line endings', () => {
    const ders = parsePemCertificates(ROOT_PEM.replace(/\n/g, '\r\n'));

    expect(toPemCertificates(ders)).toBe(ROOT_PEM);
  });

  it('returns no certificate for text without blocks', () => {
    expect(parsePemCertificates('nothing here')).toEqual([]);
  });

  it.each([
    ['mismatched labels', ROOT_PEM.replace('END CERTIFICATE', 'END X509 CRL')],
    ['characters outside base64', ROOT_PEM.replace(/\n[A-Za-z]/, '\n*')],
    [
      'a body that is not one DER sequence',
      '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
    ],
  ])('refuses %s as pem_malformed', (_name, pem) => {
    expect(codeOf(() => parsePemCertificates(pem))).toBe('pem_malformed');
  });
});

describe('toPemCertificates', () => {
  it('wraps base64 at 64 columns', () => {
    const pem = toPemCertificates(parsePemCertificates(ROOT_PEM));

    const lines = pem.trim().split('\n').slice(1, -1);

    expect(lines.slice(0, -1).every((line) => line.length === 64)).toBe(true);
    expect(lines[lines.length - 1].length).toBeLessThanOrEqual(64);
  });

  it('returns the empty string for no certificate', () => {
    expect(toPemCertificates([])).toBe('');
  });
});

describe('splitDerCertificates', () => {
  it('splits concatenated DER back into the certificates', () => {
    const ders = parsePemCertificates(LEAF_PEM + ROOT_PEM);

    const split = splitDerCertificates(Buffer.concat(ders));

    expect(split).toEqual(ders);
  });

  it('returns no certificate for an empty buffer', () => {
    expect(splitDerCertificates(Buffer.alloc(0))).toEqual([]);
  });

  it('reads short-form lengths', () => {
    expect(splitDerCertificates(Buffer.from('3000300102', 'hex'))).toHaveLength(2);
  });

  it.each([
    ['another tag', '0400'],
    ['a truncated sequence', '3005020101'],
    ['a truncated length', '3082'],
    ['an indefinite length', '308000000000'],
    ['a non-minimal long length', '30810100'],
    ['a long length with a leading zero', '3082000100'],
    ['trailing garbage', '300002'],
  ])('refuses %s as der_malformed', (_name, hex) => {
    expect(codeOf(() => splitDerCertificates(Buffer.from(hex, 'hex')))).toBe('der_malformed');
  });
});

describe('isSingleDerSequence', () => {
  it('is true for exactly one sequence only', () => {
    const [root] = parsePemCertificates(ROOT_PEM);

    expect(isSingleDerSequence(root)).toBe(true);
    expect(isSingleDerSequence(Buffer.concat([root, root]))).toBe(false);
    expect(isSingleDerSequence(Buffer.alloc(0))).toBe(false);
  });
});

describe('certificateSha256', () => {
  it('equals the OpenSSL SHA-256 fingerprint in lowercase', () => {
    const [leaf] = parsePemCertificates(LEAF_PEM);

    expect(certificateSha256(leaf)).toBe(
      '9b108250c7b158ddbe0340c02a3c1ea4b5c5bf13bf8543363056313bca476c87',
    );
  });
});
