import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AuthorityKeyIdentifier,
  BasicConstraints,
  ExtendedKeyUsage,
  Extensions,
  KeyUsage,
  KeyUsageFlags,
  SubjectAlternativeName,
} from '@peculiar/asn1-x509';

import {
  authorityKeyIdentifier,
  basicConstraints,
  encodeExtensions,
  ipAddressBytes,
  keyUsage,
  subjectAltName,
  tlsExtendedKeyUsage,
} from './extensions';

// The hand-written DER is checked against an independent ASN.1 library.
describe('extension encoders', () => {
  it.each([
    ['a leaf', false, undefined],
    ['a root', true, undefined],
    ['an intermediate with pathLen 0', true, 0],
  ])('encode basicConstraints of %s', (_label, ca, pathLength) => {
    const parsed = AsnConvert.parse(basicConstraints(ca, pathLength).value, BasicConstraints);

    expect(parsed.cA).toBe(ca);
    expect(parsed.pathLenConstraint).toBe(pathLength);
  });

  it.each([
    [['digitalSignature'], KeyUsageFlags.digitalSignature],
    [
      ['digitalSignature', 'keyEncipherment'],
      KeyUsageFlags.digitalSignature | KeyUsageFlags.keyEncipherment,
    ],
    [['keyCertSign', 'cRLSign'], KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign],
  ] as const)('encodes keyUsage %j with minimal DER', (usages, flags) => {
    const encoded = keyUsage([...usages]).value;

    expect(AsnConvert.parse(encoded, KeyUsage).toNumber()).toBe(flags);
    expect(encoded.equals(Buffer.from(AsnConvert.serialize(new KeyUsage(flags))))).toBe(true);
  });

  it('encodes serverAuth and clientAuth', () => {
    expect([...AsnConvert.parse(tlsExtendedKeyUsage().value, ExtendedKeyUsage)]).toEqual([
      '1.3.6.1.5.5.7.3.1',
      '1.3.6.1.5.5.7.3.2',
    ]);
  });

  it('encodes an authority key identifier', () => {
    const id = Buffer.alloc(20, 7);

    const parsed = AsnConvert.parse(authorityKeyIdentifier(id).value, AuthorityKeyIdentifier);

    expect(Buffer.from(parsed.keyIdentifier?.buffer ?? new ArrayBuffer(0)).equals(id)).toBe(true);
  });

  it('encodes URI, DNS and IP names in order', () => {
    const names = subjectAltName(
      { uris: ['spiffe://zen.mesh/a'], dnsNames: ['LocalHost'], ipAddresses: ['127.0.0.1', '::1'] },
      true,
    );

    const parsed = AsnConvert.parse(names.value, SubjectAlternativeName);

    expect(parsed.map((n) => n.uniformResourceIdentifier ?? n.dNSName ?? n.iPAddress)).toEqual([
      'spiffe://zen.mesh/a',
      'localhost',
      '127.0.0.1',
      '::1',
    ]);
  });

  it.each([
    ['::1', '00000000000000000000000000000001'],
    ['2001:db8::8a2e:370:7334', '20010db80000000000008a2e03707334'],
    ['fe80::', 'fe800000000000000000000000000000'],
    ['::ffff:10.0.0.1', '00000000000000000000ffff0a000001'],
    ['1:2:3:4:5:6:7:8', '00010002000300040005000600070008'],
    ['10.1.2.3', '0a010203'],
  ])('encodes IP %s', (ip, hex) => {
    expect(ipAddressBytes(ip).toString('hex')).toBe(hex);
  });

  it('encodes an Extensions list with criticality', () => {
    const parsed = AsnConvert.parse(
      encodeExtensions([basicConstraints(false), tlsExtendedKeyUsage()]),
      Extensions,
    );

    expect(parsed.map((e) => [e.extnID, e.critical])).toEqual([
      ['2.5.29.19', true],
      ['2.5.29.37', false],
    ]);
  });
});
