import { access } from 'node:fs/promises';
import { join } from 'node:path';

import { verifyAuditRecords } from '@zen/audit';
import type { AuditRecord } from '@zen/audit';

import { CliError, invalidInput } from '../lib/errors';
import { readTextFile } from '../lib/io';
import type { CliIo } from '../lib/io';
import type { AdminClient } from './admin-client';
import { printJsonLine, printTable } from './output';

/** Records asked for per page of `GET /v1/admin/audit`. */
export const AUDIT_PAGE_LIMIT = 1000;

/** One page of `GET /v1/admin/audit?after=<seq>&limit=<n>`. */
export interface AuditPage {
  records: AuditRecord[];
  next_after: number | null;
}

/** Where `audit verify` takes its records and key from. */
export interface AuditVerifyOptions {
  file?: string;
  key?: string;
  stateDir: string;
}

/** Calls `onPage` for every page after `afterSeq` until the server says there is no more. */
export async function pageAudit(
  client: AdminClient,
  afterSeq: number,
  onPage: (records: AuditRecord[]) => void,
): Promise<void> {
  let after: number | null = afterSeq;
  while (after !== null) {
    const page: AuditPage = await client.get<AuditPage>(
      `/v1/admin/audit?after=${after}&limit=${AUDIT_PAGE_LIMIT}`,
    );
    if (!page || !Array.isArray(page.records)) {
      throw new CliError('cli_server_response_invalid', 'audit page without records', 1);
    }
    onPage(page.records);
    // A cursor that does not move forward would page for ever.
    if (page.next_after !== null && !(page.next_after > after)) {
      throw new CliError('cli_server_response_invalid', 'audit cursor did not advance', 1);
    }
    after = page.next_after;
  }
}

/** `zenctl audit list [--after N] [--json]`: a table, or one JSON record per line. */
export async function auditList(
  io: CliIo,
  client: AdminClient,
  opts: { after: number; json?: boolean },
): Promise<void> {
  const rows: string[][] = [];
  await pageAudit(client, opts.after, (records) => {
    for (const r of records) {
      if (opts.json) printJsonLine(io, r);
      else
        rows.push([
          String(r.seq),
          r.time,
          r.type,
          r.outcome,
          r.actor ?? '-',
          r.subject ?? '-',
          r.reason ?? '-',
        ]);
    }
  });

  if (!opts.json)
    printTable(io, ['SEQ', 'TIME', 'TYPE', 'OUTCOME', 'ACTOR', 'SUBJECT', 'REASON'], rows);
}

/** `zenctl audit export`: every record as JSON Lines, from seq 1, page by page. */
export async function auditExport(io: CliIo, client: AdminClient): Promise<void> {
  await pageAudit(client, 0, (records) => {
    for (const r of records) printJsonLine(io, r);
  });
}

/** Parses an export; a line that is not a JSON object breaks the chain at the next seq. */
export function parseAuditJsonLines(text: string): AuditRecord[] {
  const records: AuditRecord[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = undefined;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      const seq = (records.at(-1)?.seq ?? 0) + 1;
      throw chainBroken(seq, `line ${index + 1} is not a JSON record`);
    }
    records.push(value as AuditRecord);
  });

  return records;
}

/**
 * `zenctl audit verify`: checks every link, hash and checkpoint signature of the trail (from
 * `--file` or fetched from the server). The key is `--key`, else the state folder's
 * `audit/key.pub.pem`, else the server's `GET /v1/admin/audit/key`. Exit 0 with a one-line
 * summary when intact; exit 1 naming the first broken seq.
 */
export async function auditVerify(
  io: CliIo,
  opts: AuditVerifyOptions,
  connect: () => Promise<AdminClient>,
): Promise<void> {
  const records = opts.file
    ? parseAuditJsonLines(await readTextFile(opts.file))
    : await fetchAllRecords(await connect());
  const keyPem = await loadAuditKey(opts, connect);

  let result: ReturnType<typeof verifyAuditRecords>;
  try {
    // A full trail starts at seq 1, so records deleted from the head are caught too.
    result = verifyAuditRecords(records, keyPem, { startSeq: 1 });
  } catch (err) {
    throw invalidInput(`audit public key: ${(err as Error).message}`, err);
  }
  if (!result.ok) throw chainBroken(result.seq, result.reason);

  const through =
    result.lastSeq === null ? '' : `, seq 1..${result.lastSeq}, head ${result.lastHash}`;
  const checkpoints = `${result.checkpoints} checkpoint${result.checkpoints === 1 ? '' : 's'}`;
  io.stdout(`audit trail intact: ${result.count} records, ${checkpoints}${through}\n`);
}

async function fetchAllRecords(client: AdminClient): Promise<AuditRecord[]> {
  const records: AuditRecord[] = [];
  await pageAudit(client, 0, (page) => records.push(...page));

  return records;
}

async function loadAuditKey(
  opts: AuditVerifyOptions,
  connect: () => Promise<AdminClient>,
): Promise<string> {
  if (opts.key) return assertPublicKeyPem(await readTextFile(opts.key), opts.key);

  const local = join(opts.stateDir, 'audit', 'key.pub.pem');
  if (await exists(local)) return assertPublicKeyPem(await readTextFile(local), local);

  const answer = await (await connect()).get<unknown>('/v1/admin/audit/key');

  return assertPublicKeyPem(publicKeyFromAnswer(answer), 'GET /v1/admin/audit/key');
}

/** Accepts the PEM itself or an object carrying it in its one PEM-valued field. */
function publicKeyFromAnswer(answer: unknown): string {
  if (typeof answer === 'string') return answer;
  if (answer && typeof answer === 'object') {
    const pem = Object.values(answer).find(
      (v) => typeof v === 'string' && v.includes('-----BEGIN PUBLIC KEY-----'),
    );
    if (typeof pem === 'string') return pem;
  }
  throw new CliError('cli_server_response_invalid', 'audit key answer holds no PEM public key', 1);
}

function assertPublicKeyPem(pem: string, source: string): string {
  if (!pem.includes('-----BEGIN PUBLIC KEY-----')) {
    throw invalidInput(`${source}: no PUBLIC KEY block`);
  }

  return pem;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

function chainBroken(seq: number, reason: string): CliError {
  return new CliError('cli_audit_chain_broken', `seq ${seq}: ${reason}`, 1);
}
