import { buildAuditChain } from '../testing';
import { AuditRecord } from './audit-record';
import { AuditJsonLinesError } from './errors';
import {
  AuditPageSource,
  exportJsonLines,
  parseAuditJsonLines,
  parseJsonLines,
  streamAuditJsonLines,
} from './json-lines';
import { verifyAuditRecords } from './verify-audit-records';

function pagedSource(records: AuditRecord[], pageSize: number): AuditPageSource {
  return {
    list: async (afterSeq, limit) => {
      const page = records.filter((r) => r.seq > afterSeq).slice(0, Math.min(limit, pageSize));
      const last = page[page.length - 1];
      const more = last !== undefined && last.seq < records[records.length - 1].seq;

      return { records: page, nextAfter: more ? last.seq : null };
    },
  };
}

function lineError(run: () => unknown): AuditJsonLinesError {
  try {
    run();
  } catch (err) {
    if (err instanceof AuditJsonLinesError) return err;
  }
  throw new Error('expected an AuditJsonLinesError');
}

describe('JSON Lines export', () => {
  const { records, key } = buildAuditChain(30, { checkpointEvery: 10 });

  it('writes one JSON.stringify line per record and parses back to the same records', () => {
    const text = exportJsonLines(records);

    expect(text.split('\n')).toHaveLength(31);
    expect(text.split('\n')[0]).toBe(JSON.stringify(records[0]));
    expect(parseJsonLines(text)).toEqual(records);
    expect(verifyAuditRecords(parseJsonLines(text), key.publicKeyPem)).toMatchObject({ ok: true });
  });

  it('streams the whole log page by page', async () => {
    const lines: string[] = [];

    for await (const line of streamAuditJsonLines(pagedSource(records, 7))) lines.push(line);

    expect(lines.join('')).toBe(exportJsonLines(records));
  });

  it('streams only the records after a given seq', async () => {
    const lines: string[] = [];

    for await (const line of streamAuditJsonLines(pagedSource(records, 7), 25)) lines.push(line);

    expect(parseJsonLines(lines.join('')).map((r) => (r as AuditRecord).seq)).toEqual([
      26, 27, 28, 29, 30,
    ]);
  });

  it('skips blank lines and accepts CRLF line ends', () => {
    const text = `${JSON.stringify(records[0])}\r\n\r\n${JSON.stringify(records[1])}\r\n`;

    expect(parseJsonLines(text)).toEqual(records.slice(0, 2));
  });

  it('names the line that is not JSON', () => {
    const text = `${JSON.stringify(records[0])}\n\n{"seq":\n`;

    const err = lineError(() => parseJsonLines(text));

    expect(err).toMatchObject({ code: 'audit_jsonl_malformed', line: 3 });
  });

  it('names the line that is JSON but not an object', () => {
    const err = lineError(() => parseJsonLines(`${JSON.stringify(records[0])}\n[1,2]\n`));

    expect(err).toMatchObject({ code: 'audit_jsonl_malformed', line: 2 });
  });

  it('names the line whose object is not a record when the shape is checked', () => {
    const text = `${JSON.stringify(records[0])}\n\n${JSON.stringify({ seq: 2 })}\n`;

    const err = lineError(() => parseAuditJsonLines(text));

    expect(err).toMatchObject({ code: 'audit_jsonl_malformed', line: 3 });
    expect(parseAuditJsonLines(exportJsonLines(records))).toEqual(records);
  });
});
