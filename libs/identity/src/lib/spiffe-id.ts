import { SpiffeIdError, SpiffeIdErrorCode } from './errors';

/** A parsed SPIFFE ID; `path` is `''` for the trust domain's root ID, else `/seg/...`. */
export interface SpiffeId {
  readonly trustDomain: string;
  readonly path: string;
  readonly uri: string;
}

/** The only scheme prefix the SPIFFE-ID standard allows, lowercase. */
export const SPIFFE_SCHEME_PREFIX = 'spiffe://';

/** SPIFFE-ID section 2.3: the whole URI is at most 2048 bytes. */
export const MAX_SPIFFE_ID_BYTES = 2048;

/** SPIFFE-ID section 2.3: the trust domain (the URI host) is at most 255 bytes. */
export const MAX_TRUST_DOMAIN_BYTES = 255;

const REASONS: Record<SpiffeIdErrorCode, string> = {
  spiffe_id_empty: 'cannot be empty',
  spiffe_id_too_long: `exceeds ${MAX_SPIFFE_ID_BYTES} bytes`,
  spiffe_id_scheme: 'scheme is missing or invalid (must be "spiffe://")',
  spiffe_id_query: 'query is not allowed',
  spiffe_id_fragment: 'fragment is not allowed',
  spiffe_id_percent_encoding: 'percent-encoded characters are not allowed',
  spiffe_id_userinfo: 'user info is not allowed',
  spiffe_id_port: 'port is not allowed',
  spiffe_id_trust_domain_missing: 'trust domain is missing',
  spiffe_id_trust_domain_chars:
    'trust domain characters are limited to lowercase letters, numbers, dots, dashes, ' +
    'and underscores',
  spiffe_id_trust_domain_too_long: `trust domain exceeds ${MAX_TRUST_DOMAIN_BYTES} bytes`,
  spiffe_id_path_no_leading_slash: 'path must start with a slash',
  spiffe_id_path_empty_segment: 'path cannot contain empty segments',
  spiffe_id_path_dot_segment: 'path cannot contain dot segments',
  spiffe_id_path_chars:
    'path segment characters are limited to letters, numbers, dots, dashes, and underscores',
  spiffe_id_trailing_slash: 'path cannot have a trailing slash',
};

const TRUST_DOMAIN_CHAR = /^[a-z0-9._-]$/;
const PATH_SEGMENT_CHAR = /^[a-zA-Z0-9._-]$/;

/**
 * Parses a SPIFFE ID exactly per the SPIFFE-ID standard (sections 2, 2.1, 2.2, 2.3), accepting
 * the same strings as go-spiffe's `spiffeid.FromString`. Throws {@link SpiffeIdError} whose
 * `code` names the failed rule.
 */
export function parseSpiffeId(input: string): SpiffeId {
  if (typeof input !== 'string') {
    throw new TypeError('spiffe id must be a string');
  }

  if (input === '') {
    fail('spiffe_id_empty', input);
  }

  if (Buffer.byteLength(input, 'utf8') > MAX_SPIFFE_ID_BYTES) {
    fail('spiffe_id_too_long', input);
  }

  if (!input.startsWith(SPIFFE_SCHEME_PREFIX)) {
    fail('spiffe_id_scheme', input);
  }

  const rest = input.slice(SPIFFE_SCHEME_PREFIX.length);
  assertNoUriExtras(rest, input);
  const slash = rest.indexOf('/');
  const authority = slash === -1 ? rest : rest.slice(0, slash);
  const path = slash === -1 ? '' : rest.slice(slash);
  assertTrustDomainName(authority, input);
  assertPath(path, input);

  return Object.freeze({ trustDomain: authority, path, uri: input });
}

/** True when `input` is a valid SPIFFE ID; never throws for a string. */
export function isSpiffeId(input: string): boolean {
  try {
    parseSpiffeId(input);
    return true;
  } catch (err) {
    if (err instanceof SpiffeIdError) {
      return false;
    }
    throw err;
  }
}

/**
 * Parses a trust domain name such as `zen.mesh`; like go-spiffe, an input holding `:/` is read
 * as a SPIFFE ID and its trust domain is returned. Throws {@link SpiffeIdError}.
 */
export function parseTrustDomain(input: string): string {
  if (typeof input !== 'string') {
    throw new TypeError('trust domain must be a string');
  }

  if (input.includes(':/')) {
    return parseSpiffeId(input).trustDomain;
  }

  assertNoUriExtras(input, input);
  assertTrustDomainName(input, input);

  return input;
}

/**
 * Builds a SPIFFE ID from a trust domain and path segments (each without slashes), validating
 * every part; `spiffeIdFromParts('zen.mesh', 'zen-agent', 'a')` is `spiffe://zen.mesh/zen-agent/a`.
 * Throws {@link SpiffeIdError}.
 */
export function spiffeIdFromParts(trustDomain: string, ...segments: string[]): SpiffeId {
  const name = parseTrustDomain(trustDomain);
  for (const segment of segments) {
    assertSegment(segment, segment);
  }

  return parseSpiffeId(formatSpiffeId({ trustDomain: name, path: joinSegments(segments) }));
}

/**
 * Formats a trust domain and a path (`''` or `/seg/...`) as a SPIFFE ID URI, validating both;
 * `parseSpiffeId(formatSpiffeId(id))` equals `id`. Throws {@link SpiffeIdError}.
 */
export function formatSpiffeId(parts: { trustDomain: string; path: string }): string {
  const name = parseTrustDomain(parts.trustDomain);
  if (parts.path !== '' && !parts.path.startsWith('/')) {
    fail('spiffe_id_path_no_leading_slash', parts.path);
  }

  return parseSpiffeId(`${SPIFFE_SCHEME_PREFIX}${name}${parts.path}`).uri;
}

/**
 * The path segments of a SPIFFE ID: `['zen-agent', 'a']` for `/zen-agent/a`, `[]` for a root ID.
 */
export function spiffeIdSegments(id: SpiffeId): string[] {
  return id.path === '' ? [] : id.path.slice(1).split('/');
}

/** True when the ID is the trust domain's root ID (no path), which no leaf SVID may carry. */
export function isRootSpiffeId(id: SpiffeId): boolean {
  return id.path === '';
}

function joinSegments(segments: string[]): string {
  return segments.map((segment) => `/${segment}`).join('');
}

// The first of `?`, `#` or `%` decides the code, as it is the first place the URI stops being a
// SPIFFE ID; go-spiffe refuses all three as bad characters.
function assertNoUriExtras(text: string, input: string): void {
  const match = /[?#%]/.exec(text);
  if (!match) {
    return;
  }

  if (match[0] === '?') {
    fail('spiffe_id_query', input);
  }
  if (match[0] === '#') {
    fail('spiffe_id_fragment', input);
  }
  fail('spiffe_id_percent_encoding', input);
}

function assertTrustDomainName(name: string, input: string): void {
  if (name.includes('@')) {
    fail('spiffe_id_userinfo', input);
  }

  if (name.includes(':')) {
    fail('spiffe_id_port', input);
  }

  if (name === '') {
    fail('spiffe_id_trust_domain_missing', input);
  }

  for (const char of name) {
    if (!TRUST_DOMAIN_CHAR.test(char)) {
      fail('spiffe_id_trust_domain_chars', input);
    }
  }

  if (name.length > MAX_TRUST_DOMAIN_BYTES) {
    fail('spiffe_id_trust_domain_too_long', input);
  }
}

// Scans left to right like go-spiffe, so the first offending position decides the code.
function assertPath(path: string, input: string): void {
  if (path === '') {
    return;
  }

  const segments = path.slice(1).split('/');
  segments.forEach((segment, index) => {
    const isLast = index === segments.length - 1;
    if (segment === '' && isLast) {
      fail('spiffe_id_trailing_slash', input);
    }
    assertSegment(segment, input);
  });
}

function assertSegment(segment: string, input: string): void {
  if (segment === '') {
    fail('spiffe_id_path_empty_segment', input);
  }

  for (const char of segment) {
    if (!PATH_SEGMENT_CHAR.test(char)) {
      fail('spiffe_id_path_chars', input);
    }
  }

  if (segment === '.' || segment === '..') {
    fail('spiffe_id_path_dot_segment', input);
  }
}

function fail(code: SpiffeIdErrorCode, input: string): never {
  throw new SpiffeIdError(code, REASONS[code], input);
}
