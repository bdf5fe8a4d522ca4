import fc from 'fast-check';

import { SpiffeIdError, SpiffeIdErrorCode } from './errors';
import {
  formatSpiffeId,
  isRootSpiffeId,
  isSpiffeId,
  parseSpiffeId,
  parseTrustDomain,
  spiffeIdFromParts,
  spiffeIdSegments,
} from './spiffe-id';

function codeOf(action: () => unknown): string {
  try {
    action();
  } catch (err) {
    if (err instanceof SpiffeIdError) {
      return err.code;
    }
    throw err;
  }
  return 'accepted';
}

const LONG_TD = 'a'.repeat(256);
const MAX_TD = 'a'.repeat(255);

describe('parseSpiffeId', () => {
  it.each([
    ['a root ID', 'spiffe://zen.mesh', 'zen.mesh', ''],
    ['a one-segment path', 'spiffe://zen.mesh/agent', 'zen.mesh', '/agent'],
    ['a component path', 'spiffe://zen.mesh/zen-agent/node-1', 'zen.mesh', '/zen-agent/node-1'],
    ['digits, dashes, dots and underscores', 'spiffe://a-1_b.c/x_y.z-9', 'a-1_b.c', '/x_y.z-9'],
    ['uppercase letters in the path', 'spiffe://td/Payments/WEB', 'td', '/Payments/WEB'],
    ['dots inside a segment', 'spiffe://td/.../a..b/.x', 'td', '/.../a..b/.x'],
    ['a trust domain of 255 bytes', `spiffe://${MAX_TD}/p`, MAX_TD, '/p'],
  ])('accepts %s', (_name, input, trustDomain, path) => {
    const id = parseSpiffeId(input);

    expect(id).toEqual({ trustDomain, path, uri: input });
  });

  it('accepts an ID of exactly 2048 bytes', () => {
    const prefix = 'spiffe://td/';
    const input = prefix + 'a'.repeat(2048 - prefix.length);

    expect(parseSpiffeId(input).uri).toHaveLength(2048);
  });

  it.each<[string, string, SpiffeIdErrorCode]>([
    ['the empty string', '', 'spiffe_id_empty'],
    ['an ID over 2048 bytes', `spiffe://td/${'a'.repeat(2037)}`, 'spiffe_id_too_long'],
    [
      'multi-byte characters past 2048 bytes',
      `spiffe://td/${'é'.repeat(1020)}`,
      'spiffe_id_too_long',
    ],
    ['a missing scheme', 'zen.mesh/agent', 'spiffe_id_scheme'],
    ['another scheme', 'https://zen.mesh/agent', 'spiffe_id_scheme'],
    ['an uppercase scheme', 'SPIFFE://zen.mesh/agent', 'spiffe_id_scheme'],
    ['a mixed-case scheme', 'Spiffe://zen.mesh/agent', 'spiffe_id_scheme'],
    ['a scheme with one slash', 'spiffe:/zen.mesh/agent', 'spiffe_id_scheme'],
    ['a scheme without slashes', 'spiffe:zen.mesh', 'spiffe_id_scheme'],
    ['leading whitespace', ' spiffe://zen.mesh/agent', 'spiffe_id_scheme'],
    ['a missing trust domain', 'spiffe://', 'spiffe_id_trust_domain_missing'],
    ['a missing trust domain before a path', 'spiffe:///agent', 'spiffe_id_trust_domain_missing'],
    ['an uppercase trust domain', 'spiffe://Zen.mesh/agent', 'spiffe_id_trust_domain_chars'],
    ['a space in the trust domain', 'spiffe://zen mesh/agent', 'spiffe_id_trust_domain_chars'],
    ['a non-ASCII trust domain', 'spiffe://zén.mesh/agent', 'spiffe_id_trust_domain_chars'],
    ['a bracketed IPv6 host', 'spiffe://[::1]/agent', 'spiffe_id_port'],
    [
      'a trust domain over 255 bytes',
      `spiffe://${LONG_TD}/agent`,
      'spiffe_id_trust_domain_too_long',
    ],
    ['a port', 'spiffe://zen.mesh:8443/agent', 'spiffe_id_port'],
    ['an empty port', 'spiffe://zen.mesh:/agent', 'spiffe_id_port'],
    ['user info', 'spiffe://user@zen.mesh/agent', 'spiffe_id_userinfo'],
    ['user info with a password', 'spiffe://u:p@zen.mesh', 'spiffe_id_userinfo'],
    ['a query', 'spiffe://zen.mesh/agent?x=1', 'spiffe_id_query'],
    ['a query after the trust domain', 'spiffe://zen.mesh?x', 'spiffe_id_query'],
    ['an empty query', 'spiffe://zen.mesh/agent?', 'spiffe_id_query'],
    ['a fragment', 'spiffe://zen.mesh/agent#frag', 'spiffe_id_fragment'],
    ['a fragment after the trust domain', 'spiffe://zen.mesh#x', 'spiffe_id_fragment'],
    ['percent-encoding in the path', 'spiffe://zen.mesh/a%20b', 'spiffe_id_percent_encoding'],
    ['percent-encoding in the trust domain', 'spiffe://zen%2emesh/a', 'spiffe_id_percent_encoding'],
    ['an encoded slash', 'spiffe://zen.mesh/a%2Fb', 'spiffe_id_percent_encoding'],
    ['a trailing slash', 'spiffe://zen.mesh/agent/', 'spiffe_id_trailing_slash'],
    ['a trailing slash on a root ID', 'spiffe://zen.mesh/', 'spiffe_id_trailing_slash'],
    ['an empty segment', 'spiffe://zen.mesh//agent', 'spiffe_id_path_empty_segment'],
    ['an empty middle segment', 'spiffe://zen.mesh/a//b', 'spiffe_id_path_empty_segment'],
    ['a double slash alone', 'spiffe://zen.mesh//', 'spiffe_id_path_empty_segment'],
    ['a dot segment', 'spiffe://zen.mesh/./agent', 'spiffe_id_path_dot_segment'],
    ['a dot-dot segment', 'spiffe://zen.mesh/a/../b', 'spiffe_id_path_dot_segment'],
    ['a final dot segment', 'spiffe://zen.mesh/a/.', 'spiffe_id_path_dot_segment'],
    ['a final dot-dot segment', 'spiffe://zen.mesh/a/..', 'spiffe_id_path_dot_segment'],
    ['a space in the path', 'spiffe://zen.mesh/a b', 'spiffe_id_path_chars'],
    ['a colon in the path', 'spiffe://zen.mesh/a:b', 'spiffe_id_path_chars'],
    ['an at sign in the path', 'spiffe://zen.mesh/a@b', 'spiffe_id_path_chars'],
    ['a plus in the path', 'spiffe://zen.mesh/a+b', 'spiffe_id_path_chars'],
    ['a tilde in the path', 'spiffe://zen.mesh/~a', 'spiffe_id_path_chars'],
    ['a non-ASCII path', 'spiffe://zen.mesh/é', 'spiffe_id_path_chars'],
    ['a newline in the path', 'spiffe://zen.mesh/a\nb', 'spiffe_id_path_chars'],
    ['a backslash in the path', 'spiffe://zen.mesh/a\\b', 'spiffe_id_path_chars'],
  ])('refuses %s', (_name, input, code) => {
    const result = codeOf(() => parseSpiffeId(input));

    expect(result).toBe(code);
  });

  it('carries the rule and a human reason on the error', () => {
    const error = (() => {
      try {
        parseSpiffeId('spiffe://zen.mesh/a?b');
      } catch (err) {
        return err as SpiffeIdError;
      }
      return undefined;
    })();

    expect(error).toBeInstanceOf(SpiffeIdError);
    expect(error?.code).toBe('spiffe_id_query');
    expect(error?.reason).toBe('query is not allowed');
    expect(error?.message).toBe('invalid spiffe id "spiffe://zen.mesh/a?b": query is not allowed');
  });

  it('escapes control characters and truncates the input in the message', () => {
    const input = `spiffe://zen.mesh/\r\n${'a'.repeat(200)}`;

    const message = (() => {
      try {
        parseSpiffeId(input);
      } catch (err) {
        return (err as Error).message;
      }
      return '';
    })();

    expect(message).not.toMatch(/[\r\n]/);
    expect(message).not.toContain('a'.repeat(101));
  });

  it('returns a frozen value', () => {
    const id = parseSpiffeId('spiffe://zen.mesh/a');

    expect(Object.isFrozen(id)).toBe(true);
  });
});

describe('isSpiffeId', () => {
  it.each([
    ['spiffe://zen.mesh/a', true],
    ['spiffe://zen.mesh', true],
    ['spiffe://zen.mesh/', false],
    ['http://zen.mesh/a', false],
  ])('answers %s with %s', (input, expected) => {
    expect(isSpiffeId(input)).toBe(expected);
  });
});

describe('parseTrustDomain', () => {
  it.each([
    ['a bare name', 'zen.mesh', 'zen.mesh'],
    ['a root SPIFFE ID', 'spiffe://zen.mesh', 'zen.mesh'],
    ['a SPIFFE ID with a path', 'spiffe://zen.mesh/a/b', 'zen.mesh'],
  ])('reads %s', (_name, input, expected) => {
    expect(parseTrustDomain(input)).toBe(expected);
  });

  it.each<[string, string, SpiffeIdErrorCode]>([
    ['the empty string', '', 'spiffe_id_trust_domain_missing'],
    ['uppercase letters', 'Zen.mesh', 'spiffe_id_trust_domain_chars'],
    ['a slash', 'zen.mesh/a', 'spiffe_id_trust_domain_chars'],
    ['a port', 'zen.mesh:8443', 'spiffe_id_port'],
    ['user info', 'u@zen.mesh', 'spiffe_id_userinfo'],
    ['percent-encoding', 'zen%2emesh', 'spiffe_id_percent_encoding'],
    ['a query', 'zen.mesh?x', 'spiffe_id_query'],
    ['a name over 255 bytes', LONG_TD, 'spiffe_id_trust_domain_too_long'],
    ['another scheme', 'https://zen.mesh', 'spiffe_id_scheme'],
  ])('refuses %s', (_name, input, code) => {
    expect(codeOf(() => parseTrustDomain(input))).toBe(code);
  });
});

describe('spiffeIdFromParts', () => {
  it('joins segments under the trust domain', () => {
    const id = spiffeIdFromParts('zen.mesh', 'zen-agent', 'node-1');

    expect(id.uri).toBe('spiffe://zen.mesh/zen-agent/node-1');
    expect(spiffeIdSegments(id)).toEqual(['zen-agent', 'node-1']);
  });

  it('builds the root ID without segments', () => {
    const id = spiffeIdFromParts('zen.mesh');

    expect(id.uri).toBe('spiffe://zen.mesh');
    expect(isRootSpiffeId(id)).toBe(true);
    expect(spiffeIdSegments(id)).toEqual([]);
  });

  it.each<[string, string[], SpiffeIdErrorCode]>([
    ['an empty segment', ['a', ''], 'spiffe_id_path_empty_segment'],
    ['a segment holding a slash', ['a/b'], 'spiffe_id_path_chars'],
    ['a dot segment', ['..'], 'spiffe_id_path_dot_segment'],
    ['a segment with a space', ['a b'], 'spiffe_id_path_chars'],
  ])('refuses %s', (_name, segments, code) => {
    expect(codeOf(() => spiffeIdFromParts('zen.mesh', ...segments))).toBe(code);
  });

  it('refuses an ID that would exceed 2048 bytes', () => {
    const segments = Array.from({ length: 30 }, () => 'a'.repeat(80));

    expect(codeOf(() => spiffeIdFromParts('zen.mesh', ...segments))).toBe('spiffe_id_too_long');
  });
});

describe('formatSpiffeId', () => {
  it('refuses a path without a leading slash', () => {
    const result = codeOf(() => formatSpiffeId({ trustDomain: 'zen.mesh', path: 'a' }));

    expect(result).toBe('spiffe_id_path_no_leading_slash');
  });
});

const TRUST_DOMAIN_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789.-_'.split('');
const SEGMENT_CHARS = [...TRUST_DOMAIN_CHARS, ...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('')];
const trustDomainArb = fc
  .array(fc.constantFrom(...TRUST_DOMAIN_CHARS), { minLength: 1, maxLength: 40 })
  .map((chars) => chars.join(''));
const segmentArb = fc
  .array(fc.constantFrom(...SEGMENT_CHARS), { minLength: 1, maxLength: 20 })
  .map((chars) => chars.join(''))
  .filter((segment) => segment !== '.' && segment !== '..');
const segmentsArb = fc.array(segmentArb, { maxLength: 8 });

describe('SPIFFE ID properties', () => {
  it('throws nothing but SpiffeIdError for any string', () => {
    const anyString = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 80 }),
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.string({ maxLength: 60 }).map((tail) => `spiffe://${tail}`),
      fc
        .array(fc.constantFrom('/', '.', 'a', 'A', ':', '@', '?', '#', '%', '-', ' '), {
          maxLength: 30,
        })
        .map((chars) => `spiffe://${chars.join('')}`),
    );

    fc.assert(
      fc.property(anyString, (input) => {
        try {
          const id = parseSpiffeId(input);
          expect(id.uri).toBe(input);
        } catch (err) {
          expect(err).toBeInstanceOf(SpiffeIdError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips every ID built from valid parts', () => {
    fc.assert(
      fc.property(trustDomainArb, segmentsArb, (trustDomain, segments) => {
        const built = spiffeIdFromParts(trustDomain, ...segments);

        const parsed = parseSpiffeId(built.uri);

        expect(parsed).toEqual(built);
        expect(parsed.trustDomain).toBe(trustDomain);
        expect(spiffeIdSegments(parsed)).toEqual(segments);
      }),
      { numRuns: 500 },
    );
  });

  it('returns the same ID when formatting then parsing', () => {
    fc.assert(
      fc.property(trustDomainArb, segmentsArb, (trustDomain, segments) => {
        const id = spiffeIdFromParts(trustDomain, ...segments);

        const again = parseSpiffeId(formatSpiffeId(id));

        expect(again).toEqual(id);
        expect(formatSpiffeId(again)).toBe(id.uri);
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with isSpiffeId on every string', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (tail) => {
        const input = `spiffe://${tail}`;

        expect(isSpiffeId(input)).toBe(codeOf(() => parseSpiffeId(input)) === 'accepted');
      }),
    );
  });
});
