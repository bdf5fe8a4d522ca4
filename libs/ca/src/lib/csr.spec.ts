import { generateKeyPairSync, sign } from 'node:crypto';

import { csrPemToDer, parseCsrDer, parseCsrPem, validateCsr } from './csr';
import { generateKeyAndCsr } from './key-and-csr';
import { encodeDer, readDerChildren, readDerElement } from './x509/der';
import { writePem } from './x509/pem';

const ID = 'spiffe://zen.mesh/zen-agent/node-1';

function corruptSignature(pem: string): string {
  const der = csrPemToDer(pem);
  der[der.length - 5] ^= 0x01;

  return writePem('CERTIFICATE REQUEST', der);
}

describe('parseCsrPem', () => {
  it('reads the key, its hash and the requested URI SANs', () => {
    const made = generateKeyAndCsr({ uriSans: [ID] });

    const csr = parseCsrPem(made.csrPem);

    expect(csr.publicKeySpki.equals(made.publicKeySpki)).toBe(true);
    expect(csr.publicKeySha256).toMatch(/^[0-9a-f]{64}$/);
    expect(csr.keyType).toBe('P-256');
    expect(csr.uriSans).toEqual([ID]);
    expect(csr.der.equals(csrPemToDer(made.csrPem))).toBe(true);
  });

  it.each([
    ['P-384', 'P-384'],
    ['RSA-2048', 'RSA-2048'],
    ['P-521', 'other-ec-secp521r1'],
    ['Ed25519', 'other-ed25519'],
  ] as const)('reports a %s key as %s', (keyType, expected) => {
    expect(parseCsrPem(generateKeyAndCsr({ keyType }).csrPem).keyType).toBe(expected);
  });

  it.each([
    ['an empty string', ''],
    ['a certificate block', '-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n'],
    ['an old NEW CERTIFICATE REQUEST label', 'NEW'],
    ['two request blocks', 'TWO'],
    ['text outside the block', 'TEXT'],
    [
      'a body that is not base64',
      '-----BEGIN CERTIFICATE REQUEST-----\n*!*\n-----END CERTIFICATE REQUEST-----\n',
    ],
    [
      'DER that is not a request',
      '-----BEGIN CERTIFICATE REQUEST-----\nMAMCAQE=\n-----END CERTIFICATE REQUEST-----\n',
    ],
  ])('refuses %s as csr_malformed', (_label, input) => {
    const good = generateKeyAndCsr().csrPem;
    const pem =
      input === 'NEW'
        ? good.replace(/CERTIFICATE REQUEST/g, 'NEW CERTIFICATE REQUEST')
        : input === 'TWO'
          ? good + good
          : input === 'TEXT'
            ? `hello\n${good}`
            : input;

    expect(() => parseCsrPem(pem)).toThrow(expect.objectContaining({ code: 'csr_malformed' }));
  });

  it('refuses DER with trailing bytes', () => {
    const der = Buffer.concat([csrPemToDer(generateKeyAndCsr().csrPem), Buffer.from([0])]);

    expect(() => parseCsrDer(der)).toThrow(expect.objectContaining({ code: 'csr_malformed' }));
  });
});

describe('validateCsr', () => {
  it.each([
    ['P-256 without URI SAN', 'P-256', []],
    ['P-256 with the expected URI SAN', 'P-256', [ID]],
    ['P-384', 'P-384', [ID]],
    ['RSA 2048', 'RSA-2048', []],
  ] as const)('accepts %s', (_label, keyType, uriSans) => {
    const csr = parseCsrPem(generateKeyAndCsr({ keyType, uriSans: [...uriSans] }).csrPem);

    expect(() => validateCsr(csr, ID)).not.toThrow();
  });

  it('refuses a request whose signature does not verify (no proof of possession)', () => {
    const csr = parseCsrPem(corruptSignature(generateKeyAndCsr().csrPem));

    expect(() => validateCsr(csr, ID)).toThrow(
      expect.objectContaining({ code: 'csr_signature_invalid' }),
    );
  });

  it('refuses a request signed by a key other than the one it carries', () => {
    const mine = csrPemToDer(generateKeyAndCsr().csrPem);
    const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    // Re-sign the same request info with a different key: the signature is well formed but
    // proves possession of the wrong key.
    const [infoElement] = readDerChildren(mine, readDerElement(mine, 0));
    const info = mine.subarray(infoElement.start, infoElement.end);
    const forged = sign('sha256', info, { key: other, dsaEncoding: 'der' });
    const der = encodeDer(
      0x30,
      Buffer.concat([
        info,
        Buffer.from('300a06082a8648ce3d040302', 'hex'),
        encodeDer(0x03, Buffer.concat([Buffer.from([0]), forged])),
      ]),
    );

    const csr = parseCsrDer(der);

    expect(() => validateCsr(csr, ID)).toThrow(
      expect.objectContaining({ code: 'csr_signature_invalid' }),
    );
  });

  it('refuses a P-256 key whose point is off the curve as csr_malformed', () => {
    const made = generateKeyAndCsr();
    const der = Buffer.from(csrPemToDer(made.csrPem));
    const at = der.indexOf(made.publicKeySpki) + made.publicKeySpki.length - 1;
    der[at] ^= 0x01;

    const csr = parseCsrDer(der);

    expect(csr.keyType).toBe('P-256');
    expect(() => validateCsr(csr, ID)).toThrow(expect.objectContaining({ code: 'csr_malformed' }));
  });

  it.each([
    ['RSA 1024', 'RSA-1024'],
    ['P-521', 'P-521'],
    ['Ed25519', 'Ed25519'],
  ] as const)('refuses a %s key as csr_key_not_allowed', (_label, keyType) => {
    const csr = parseCsrPem(generateKeyAndCsr({ keyType }).csrPem);

    expect(() => validateCsr(csr, ID)).toThrow(
      expect.objectContaining({ code: 'csr_key_not_allowed' }),
    );
  });

  it('refuses a URI SAN other than the expected SPIFFE ID', () => {
    const csr = parseCsrPem(
      generateKeyAndCsr({ uriSans: ['spiffe://zen.mesh/admin/root'] }).csrPem,
    );

    expect(() => validateCsr(csr, ID)).toThrow(
      expect.objectContaining({ code: 'csr_uri_san_mismatch' }),
    );
  });

  it('refuses more than one URI SAN even when one is the expected SPIFFE ID', () => {
    const csr = parseCsrPem(generateKeyAndCsr({ uriSans: [ID, ID] }).csrPem);

    expect(() => validateCsr(csr, ID)).toThrow(
      expect.objectContaining({ code: 'csr_uri_san_mismatch' }),
    );
  });

  it('explains a refusal in a human sentence that quotes no request content', () => {
    const csr = parseCsrPem(
      generateKeyAndCsr({ uriSans: ['spiffe://zen.mesh/evil-marker'] }).csrPem,
    );

    const error = (() => {
      try {
        validateCsr(csr, ID);
      } catch (caught) {
        return caught as Error & { reason: string };
      }
      throw new Error('validateCsr accepted the request');
    })();

    expect(error.reason).toBe('the CSR URI SAN is not the SPIFFE ID this request is entitled to');
    expect(error.message).not.toContain('evil');
  });
});
