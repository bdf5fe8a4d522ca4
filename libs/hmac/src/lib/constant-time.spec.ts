import { constantTimeEqualHex } from './constant-time';

describe('constantTimeEqualHex', () => {
  it('accepts identical lowercase hex strings', () => {
    expect(constantTimeEqualHex('00ff9a', '00ff9a')).toBe(true);
  });

  it.each([
    ['strings that differ in one character', '00ff9a', '00ff9b'],
    ['strings of different lengths', '00ff9a', '00ff9a00'],
    ['the same hex in another case', '00FF9A', '00FF9A'],
    ['identical strings that are not hex', 'zzzz', 'zzzz'],
    ['identical strings with a space', '00 f', '00 f'],
  ])('refuses %s', (_name, a, b) => {
    expect(constantTimeEqualHex(a, b)).toBe(false);
  });

  it('treats two empty strings as equal', () => {
    expect(constantTimeEqualHex('', '')).toBe(true);
  });

  it('returns false for non-string input', () => {
    expect(constantTimeEqualHex(undefined as unknown as string, 'ab')).toBe(false);
  });
});
