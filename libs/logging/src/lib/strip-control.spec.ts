import { stripControl } from './strip-control';

describe('stripControl', () => {
  it.each([
    ['CR and LF', 'line\r\nforged: yes', 'lineforged: yes'],
    ['tabs and NUL', 'a\tb\u0000c', 'abc'],
    ['DEL and C1 controls', 'a\u007fb\u0085c', 'abc'],
    ['Unicode line separators', 'a\u2028b\u2029c', 'abc'],
    ['an ANSI escape introducer', '\u001b[31mred', '[31mred'],
  ])('removes %s', (_name, input, expected) => {
    expect(stripControl(input)).toBe(expected);
  });

  it('keeps printable text, including non-ASCII letters and emoji', () => {
    expect(stripControl('spiffe://zen.mesh/agent/é-🚀')).toBe('spiffe://zen.mesh/agent/é-🚀');
  });
});
