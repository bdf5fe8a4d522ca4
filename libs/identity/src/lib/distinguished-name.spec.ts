import {
  AttributeTypeAndValue,
  AttributeValue,
  Name,
  RelativeDistinguishedName,
} from '@peculiar/asn1-x509';

import { formatDistinguishedName } from './distinguished-name';

function rdn(...pairs: [string, string][]): RelativeDistinguishedName {
  return new RelativeDistinguishedName(
    pairs.map(
      ([type, text]) =>
        new AttributeTypeAndValue({ type, value: new AttributeValue({ utf8String: text }) }),
    ),
  );
}

describe('formatDistinguishedName', () => {
  it('writes the last RDN first with short attribute names', () => {
    const name = new Name([
      rdn(['2.5.4.6', 'NL']),
      rdn(['2.5.4.10', 'Zen']),
      rdn(['2.5.4.3', 'a']),
    ]);

    expect(formatDistinguishedName(name)).toBe('CN=a,O=Zen,C=NL');
  });

  it('joins a multi-valued RDN with a plus sign', () => {
    const name = new Name([rdn(['2.5.4.3', 'a'], ['2.5.4.11', 'b'])]);

    expect(formatDistinguishedName(name)).toBe('CN=a+OU=b');
  });

  it('escapes special and control characters and keeps unknown types as OIDs', () => {
    const name = new Name([rdn(['1.2.3.4', ' #a,b+c\nd '])]);

    expect(formatDistinguishedName(name)).toBe('1.2.3.4=\\ #a\\,b\\+c\\0ad\\ ');
  });

  it('formats the empty name as an empty string', () => {
    expect(formatDistinguishedName(new Name())).toBe('');
  });
});
