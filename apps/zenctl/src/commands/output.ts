import type { CliIo } from '../lib/io';

/** Writes one line of text for people. */
export function printLine(io: CliIo, text: string): void {
  io.stdout(`${text}\n`);
}

/** Writes one value as a single JSON line. */
export function printJsonLine(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value)}\n`);
}

/** Writes one value as indented JSON, for `--json` views of a single document. */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

/** Writes `label: value` pairs with the values aligned. */
export function printFields(io: CliIo, fields: [label: string, value: string | number][]): void {
  const width = Math.max(...fields.map(([label]) => label.length)) + 2;
  for (const [label, value] of fields) io.stdout(`${`${label}:`.padEnd(width)}${value}\n`);
}

/** Writes rows under a header, columns padded to their widest cell. */
export function printTable(io: CliIo, header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const format = (cells: string[]): string =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  io.stdout(`${format(header)}\n`);
  for (const row of rows) io.stdout(`${format(row)}\n`);
}

/** RFC 3339 UTC without fractional seconds, from Unix seconds or milliseconds. */
export function rfc3339(time: { seconds: number } | { ms: number }): string {
  const ms = 'seconds' in time ? time.seconds * 1000 : time.ms;

  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
