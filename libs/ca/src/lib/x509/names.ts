import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AttributeTypeAndValue,
  AttributeValue,
  Name,
  RelativeDistinguishedName,
} from '@peculiar/asn1-x509';

const OID_ORGANIZATION = '2.5.4.10';
const OID_COMMON_NAME = '2.5.4.3';
const ORGANIZATION = 'Zen Mesh';

/** DER of the empty Name every SVID carries as its subject (the identity is the URI SAN). */
export const EMPTY_NAME = Buffer.from('3000', 'hex');

/** DER Name `O=Zen Mesh, CN=<commonName>` for a signing certificate, which must have a subject. */
export function caName(commonName: string): Buffer {
  const rdn = (type: string, text: string) =>
    new RelativeDistinguishedName([
      new AttributeTypeAndValue({ type, value: new AttributeValue({ utf8String: text }) }),
    ]);
  const name = new Name([rdn(OID_ORGANIZATION, ORGANIZATION), rdn(OID_COMMON_NAME, commonName)]);

  return Buffer.from(AsnConvert.serialize(name));
}
