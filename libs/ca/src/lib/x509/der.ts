/** One DER element inside a buffer: tag byte, where its content starts and ends. */
export interface DerElement {
  tag: number;
  /** Offset of the tag byte. */
  start: number;
  /** Offset of the first content byte. */
  contentStart: number;
  /** Offset just past the last content byte. */
  end: number;
}

/**
 * Reads the DER element at `offset` (single-byte tags, definite lengths up to 4 length bytes).
 * Throws a plain Error on truncated or indefinite input; callers turn it into their coded error.
 */
export function readDerElement(buffer: Buffer, offset: number, limit = buffer.length): DerElement {
  if (offset + 2 > limit) throw new Error('truncated DER element');
  const tag = buffer[offset];
  let length = buffer[offset + 1];
  let contentStart = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || contentStart + count > limit) {
      throw new Error('unsupported DER length');
    }
    length = 0;
    for (let i = 0; i < count; i += 1) length = length * 256 + buffer[contentStart + i];
    contentStart += count;
  }
  const end = contentStart + length;
  if (end > limit) throw new Error('truncated DER element');

  return { tag, start: offset, contentStart, end };
}

/** The elements directly inside a constructed element, in order. */
export function readDerChildren(buffer: Buffer, parent: DerElement): DerElement[] {
  const children: DerElement[] = [];
  let offset = parent.contentStart;
  while (offset < parent.end) {
    const child = readDerElement(buffer, offset, parent.end);
    children.push(child);
    offset = child.end;
  }

  return children;
}

/** Encodes one DER element from a tag and its content. */
export function encodeDer(tag: number, content: Buffer): Buffer {
  const length = content.length;
  let header: Buffer;
  if (length < 0x80) {
    header = Buffer.from([tag, length]);
  } else {
    const bytes: number[] = [];
    for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
    header = Buffer.from([tag, 0x80 | bytes.length, ...bytes]);
  }

  return Buffer.concat([header, content]);
}

/** DER tags this library reads or writes. */
export const DER_TAG = {
  BIT_STRING: 0x03,
  SEQUENCE: 0x30,
} as const;
