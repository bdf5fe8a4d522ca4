import { AuditRecord, describeMalformedRecord } from './audit-record';
import { AuditJsonLinesError } from './errors';

/** The largest page {@link streamAuditJsonLines} asks for, as `AuditLog.list` allows. */
const PAGE_LIMIT = 1000;

/** Anything that pages through the log the way `AuditLog.list` does. */
export interface AuditPageSource {
  list(
    afterSeq: number,
    limit: number,
  ): Promise<{ records: AuditRecord[]; nextAfter: number | null }>;
}

/** JSON Lines of records: one `JSON.stringify(record)` per line, each ending in "\n". */
export function exportJsonLines(records: readonly AuditRecord[]): string {
  return records.map((record) => `${JSON.stringify(record)}\n`).join('');
}

/**
 * Yields the whole log (or the part after `afterSeq`) as JSON Lines, one line per record, page
 * by page, so an export never holds the log in memory.
 */
export async function* streamAuditJsonLines(
  source: AuditPageSource,
  afterSeq = 0,
): AsyncGenerator<string> {
  let cursor: number | null = afterSeq;
  while (cursor !== null) {
    const page = await source.list(cursor, PAGE_LIMIT);
    for (const record of page.records) yield `${JSON.stringify(record)}\n`;
    cursor = page.nextAfter;
  }
}

/**
 * Parses JSON Lines into one value per non-blank line; each must be a JSON object. Their record
 * shape is left to `verifyAuditRecords`, which names the seq of a malformed one. Throws
 * {@link AuditJsonLinesError} (`audit_jsonl_malformed`) with the 1-based line number otherwise.
 */
export function parseJsonLines(text: string): unknown[] {
  const values: unknown[] = [];
  const lines = text.split('\n');

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i];
    if (line.trim() === '') continue;

    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (cause) {
      throw new AuditJsonLinesError(`audit export line ${i + 1} is not json`, i + 1, { cause });
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new AuditJsonLinesError(`audit export line ${i + 1} is not a json object`, i + 1);
    }
    values.push(value);
  }

  return values;
}

/**
 * Parses JSON Lines like {@link parseJsonLines} and also checks every line has the record shape
 * of PROTOCOL.md; throws `audit_jsonl_malformed` naming the first bad line.
 */
export function parseAuditJsonLines(text: string): AuditRecord[] {
  const values = parseJsonLines(text);
  const lineNumbers = nonBlankLineNumbers(text);

  return values.map((value, index) => {
    const problem = describeMalformedRecord(value);
    if (problem !== null) {
      const line = lineNumbers[index];
      throw new AuditJsonLinesError(`audit export line ${line} is not a record: ${problem}`, line);
    }

    return value as AuditRecord;
  });
}

function nonBlankLineNumbers(text: string): number[] {
  return text
    .split('\n')
    .map((line, i) => (line.trim() === '' ? 0 : i + 1))
    .filter((n) => n > 0);
}
