import { Name } from '@peculiar/asn1-x509';

const SHORT_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.5': 'SERIALNUMBER',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

/**
 * Formats an X.501 Name the way RFC 4514 writes it: last RDN first, RDNs joined by `,`,
 * multi-valued RDNs by `+`, special characters escaped; an empty name is `''`.
 */
export function formatDistinguishedName(name: Name): string {
  return [...name]
    .reverse()
    .map((rdn) =>
      [...rdn]
        .map(
          (attribute) => `${SHORT_NAMES[attribute.type] ?? attribute.type}=${valueOf(attribute)}`,
        )
        .join('+'),
    )
    .join(',');
}

function valueOf(attribute: Name[number][number]): string {
  const { value } = attribute;
  if (value.anyValue) {
    return `#${Buffer.from(value.anyValue).toString('hex')}`;
  }

  return escapeValue(value.ia5String ?? value.toString());
}

// RFC 4514 section 2.4; control characters are hex-escaped so a peer's name cannot break lines.
function escapeValue(text: string): string {
  const escaped = [...text]
    .map((char) => {
      const code = char.charCodeAt(0);
      if (code < 0x20 || code === 0x7f) {
        return `\\${code.toString(16).padStart(2, '0')}`;
      }
      return '\\,+"<>;='.includes(char) ? `\\${char}` : char;
    })
    .join('');

  return escaped.replace(/^([ #])/, '\\$1').replace(/ $/, '\\ ');
}
