/** Unix seconds as an RFC 3339 UTC string without fractional seconds. */
export function rfc3339(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Unix seconds as an RFC 3339 string, or null. */
export function rfc3339OrNull(seconds: number | null): string | null {
  return seconds === null ? null : rfc3339(seconds);
}
