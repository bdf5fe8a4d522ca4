/** One DER element: its tag, where its content starts and where the element ends. */
export interface DerElement {
  tag: number;
  start: number;
  contentStart: number;
  end: number;
}

const MAX_LENGTH_OCTETS = 4;

/**
 * Reads the DER element at `offset` (single-byte tags, definite lengths only) and checks it
 * fits inside `limit`; throws `RangeError` otherwise. Callers turn that into their own code.
 */
export function readDerElement(data: Buffer, offset: number, limit = data.length): DerElement {
  if (limit - offset < 2) {
    throw new RangeError(`truncated element at byte ${offset}`);
  }

  const tag = data[offset];
  const first = data[offset + 1];
  if (first < 0x80) {
    return fitted(tag, offset, offset + 2, first, limit);
  }

  const octets = first & 0x7f;
  if (octets === 0 || octets > MAX_LENGTH_OCTETS || offset + 2 + octets > limit) {
    throw new RangeError(`unsupported length encoding at byte ${offset}`);
  }
  let length = 0;
  for (let index = 0; index < octets; index += 1) {
    length = length * 256 + data[offset + 2 + index];
  }
  if (length < 0x80 || data[offset + 2] === 0) {
    throw new RangeError(`length is not minimally encoded at byte ${offset}`);
  }

  return fitted(tag, offset, offset + 2 + octets, length, limit);
}

/** The elements directly inside a constructed element, in order. */
export function readDerChildren(data: Buffer, parent: DerElement): DerElement[] {
  const children: DerElement[] = [];
  let offset = parent.contentStart;
  while (offset < parent.end) {
    const child = readDerElement(data, offset, parent.end);
    children.push(child);
    offset = child.end;
  }

  return children;
}

/** The whole encoding (header and content) of an element. */
export function derBytes(data: Buffer, element: DerElement): Buffer {
  return data.subarray(element.start, element.end);
}

/** The content octets of an element. */
export function derContent(data: Buffer, element: DerElement): Buffer {
  return data.subarray(element.contentStart, element.end);
}

function fitted(tag: number, start: number, contentStart: number, length: number, limit: number) {
  if (contentStart + length > limit) {
    throw new RangeError(`truncated element at byte ${start}`);
  }

  return { tag, start, contentStart, end: contentStart + length };
}

/** The dotted form of an OBJECT IDENTIFIER's content octets. */
export function decodeOid(content: Buffer): string {
  const arcs: number[] = [];
  let value = 0;
  for (const byte of content) {
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      arcs.push(value);
      value = 0;
    }
  }
  if (arcs.length === 0 || (content[content.length - 1] & 0x80) !== 0) {
    throw new RangeError('object identifier is truncated');
  }
  const first = arcs[0] < 80 ? Math.floor(arcs[0] / 40) : 2;

  return [first, arcs[0] - first * 40, ...arcs.slice(1)].join('.');
}

/** Milliseconds of a UTCTime (tag 0x17) or GeneralizedTime (tag 0x18) in the DER `Z` form. */
export function decodeTime(tag: number, content: Buffer): number {
  const text = content.toString('latin1');
  const match = tag === 0x17 ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text) : null;
  const general = tag === 0x18 ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text) : null;
  const parts = match ?? general;
  if (!parts) {
    throw new RangeError('time is not a DER UTCTime or GeneralizedTime');
  }
  const [year, month, day, hour, minute, second] = parts.slice(1).map(Number);
  // RFC 5280 section 4.1.2.5.1: two-digit years 50 to 99 are 19xx, 00 to 49 are 20xx.
  const fullYear = match ? (year >= 50 ? 1900 + year : 2000 + year) : year;

  return Date.UTC(fullYear, month - 1, day, hour, minute, second);
}
