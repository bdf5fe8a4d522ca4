import { decodeOid, decodeTime, readDerChildren, readDerElement } from './der-reader';

describe('readDerElement', () => {
  it('reads short and long lengths', () => {
    const short = readDerElement(Buffer.from('0403010203', 'hex'), 0);
    const long = readDerElement(
      Buffer.concat([Buffer.from('048180', 'hex'), Buffer.alloc(128)]),
      0,
    );

    expect(short).toEqual({ tag: 4, start: 0, contentStart: 2, end: 5 });
    expect(long).toEqual({ tag: 4, start: 0, contentStart: 3, end: 131 });
  });

  it('lists the children of a constructed element', () => {
    const data = Buffer.from('3006020101020102', 'hex');

    const children = readDerChildren(data, readDerElement(data, 0));

    expect(children.map((child) => child.start)).toEqual([2, 5]);
  });

  it.each([
    ['a lone tag', '30'],
    ['content past the end', '300301'],
    ['an indefinite length', '3080'],
    ['a five-octet length', '30850000000001'],
    ['a long form for a short length', '30817f'],
  ])('throws a RangeError for %s', (_name, hex) => {
    expect(() => readDerElement(Buffer.from(hex, 'hex'), 0)).toThrow(RangeError);
  });
});

describe('decodeOid', () => {
  it.each([
    ['551d11', '2.5.29.17'],
    ['2a864886f70d010901', '1.2.840.113549.1.9.1'],
    ['2b0601050507030a', '1.3.6.1.5.5.7.3.10'],
    ['8837', '2.999'],
  ])('decodes %s as %s', (hex, expected) => {
    expect(decodeOid(Buffer.from(hex, 'hex'))).toBe(expected);
  });

  it('throws for a truncated arc', () => {
    expect(() => decodeOid(Buffer.from('2a86', 'hex'))).toThrow(RangeError);
  });
});

describe('decodeTime', () => {
  it.each([
    [0x17, '491231235959Z', Date.UTC(2049, 11, 31, 23, 59, 59)],
    [0x17, '500101000000Z', Date.UTC(1950, 0, 1)],
    [0x18, '21261109175124Z', Date.UTC(2126, 10, 9, 17, 51, 24)],
  ])('decodes tag %i %s', (tag, text, expected) => {
    expect(decodeTime(tag, Buffer.from(text, 'latin1'))).toBe(expected);
  });

  it.each([
    [0x17, '4912312359Z'],
    [0x17, '491231235959+0100'],
    [0x18, '491231235959Z'],
    [0x04, '491231235959Z'],
  ])('refuses tag %i %s', (tag, text) => {
    expect(() => decodeTime(tag, Buffer.from(text, 'latin1'))).toThrow(RangeError);
  });
});
