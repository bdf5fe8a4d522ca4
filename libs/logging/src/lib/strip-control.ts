/**
 * Removes control characters from a client-supplied string before it is logged: C0 (which
 * includes CR, LF and TAB), DEL, C1 and the Unicode line and paragraph separators. A client
 * who could put a line break in a logged value could forge a log line.
 */
export function stripControl(value: string): string {
  let out = '';
  for (const ch of String(value)) {
    if (!isControl(ch.codePointAt(0) ?? 0)) out += ch;
  }

  return out;
}

function isControl(code: number): boolean {
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
}
