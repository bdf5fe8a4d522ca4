import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { WIRE_STATUS, WireError, isWireErrorCode } from './wire-error';

const REPO_ROOT = join(__dirname, '../../../..');
// The design folder beside the checkout is the source of truth; docs/ holds a copy of it.
const PROTOCOL_CANDIDATES = [
  process.env['ZEN_PROTOCOL_MD'],
  join(REPO_ROOT, '../shared/PROTOCOL.md'),
  join(REPO_ROOT, 'docs/PROTOCOL.md'),
].filter((p): p is string => p !== undefined);

/** Reads the "wire error codes" bullet of PROTOCOL.md into status-by-code. */
function protocolWireCodes(): Record<string, number> {
  const path = PROTOCOL_CANDIDATES.find((candidate) => existsSync(candidate));
  if (path === undefined) throw new Error('PROTOCOL.md not found');
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf('The wire error codes');
  expect(start).toBeGreaterThanOrEqual(0);
  const bulletEnd = text.indexOf('\n- ', start);
  const bullet = text.slice(start, bulletEnd);
  const codes: Record<string, number> = {};
  for (const match of bullet.matchAll(/`(\d{3}) ([a-z_]+)`/g)) {
    codes[match[2]] = Number(match[1]);
  }

  return codes;
}

describe('WireError', () => {
  it('has exactly the codes and statuses of PROTOCOL.md, both ways', () => {
    const documented = protocolWireCodes();

    expect(Object.keys(documented).length).toBeGreaterThan(10);
    expect(Object.keys(WIRE_STATUS).sort()).toEqual(Object.keys(documented).sort());
    expect({ ...WIRE_STATUS }).toEqual(documented);
  });

  it('takes its status from the code', () => {
    const err = new WireError('rate_limited', 'too many requests', { retryAfterSeconds: 7 });

    expect(err.status).toBe(429);
    expect(err.code).toBe('rate_limited');
    expect(err.retryAfterSeconds).toBe(7);
    expect(err).toBeInstanceOf(Error);
  });

  it('keeps the cause on the error', () => {
    const cause = new Error('low level');

    const err = new WireError('unavailable', 'service unavailable', { cause });

    expect(err.cause).toBe(cause);
  });

  it.each([
    ['a listed code', 'skew', true],
    ['an unlisted code', 'teapot', false],
    ['an inherited property name', 'toString', false],
    ['a non-string', 401, false],
  ])('recognises wire codes: %s', (_name, value, expected) => {
    expect(isWireErrorCode(value)).toBe(expected);
  });
});
