import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { AuditRecord } from '@zen/audit';
import { buildAuditChain } from '@zen/audit/testing';

import { runCli } from '../cli';
import { captureIo } from '../testing/capture-io';
import { AdminClient } from './admin-client';
import type { AdminResponse } from './admin-client';
import { auditExport, auditVerify, pageAudit, parseAuditJsonLines } from './audit';

function toJsonLines(records: AuditRecord[]): string {
  return records.map((r) => `${JSON.stringify(r)}\n`).join('');
}

/** A fake admin API serving `records` in pages of `pageSize`, and the audit key. */
function fakeServer(records: AuditRecord[], keyPem: string, pageSize = 40) {
  const paths: string[] = [];
  const client = new AdminClient(
    {
      request: async (_method, path): Promise<AdminResponse> => {
        paths.push(path);
        if (path === '/v1/admin/audit/key') {
          return { status: 200, headers: {}, body: { public_key_pem: keyPem } };
        }
        const after = Number(new URL(path, 'https://x').searchParams.get('after'));
        const page = records.filter((r) => r.seq > after).slice(0, pageSize);
        const last = page.at(-1)?.seq ?? after;
        const more = records.some((r) => r.seq > last);
        return {
          status: 200,
          headers: {},
          body: { records: page, next_after: more ? last : null },
        };
      },
    },
    'https://localhost:8443',
  );

  return { client, paths };
}

describe('audit commands', () => {
  const chain = buildAuditChain(230);
  let dir: string;
  let keyFile: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'zenctl-audit-'));
    keyFile = join(dir, 'key.pub.pem');
    writeFileSync(keyFile, chain.key.publicKeyPem);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('verifies an intact export with exit 0 and a one-line summary', async () => {
    const file = join(dir, 'intact.jsonl');
    writeFileSync(file, toJsonLines(chain.records));
    const io = captureIo();

    const code = await runCli(['audit', 'verify', '--file', file, '--key', keyFile], io);

    expect(code).toBe(0);
    const head = chain.records[229].hash;
    expect(io.out()).toBe(
      `audit trail intact: 230 records, 2 checkpoints, seq 1..230, head ${head}\n`,
    );
  });

  it('exits 1 naming the seq of an edited record', async () => {
    const edited = chain.records.map((r) =>
      r.seq === 57 ? { ...r, outcome: 'denied' as const } : r,
    );
    const file = join(dir, 'edited.jsonl');
    writeFileSync(file, toJsonLines(edited));
    const io = captureIo();

    const code = await runCli(['audit', 'verify', '--file', file, '--key', keyFile], io);

    expect(code).toBe(1);
    expect(io.err()).toMatch(/^cli_audit_chain_broken: seq 57: .+\n$/);
  });

  it('takes the key from the state folder when --key is absent', async () => {
    const stateDir = join(dir, 'state');
    const file = join(dir, 'intact-2.jsonl');
    writeFileSync(file, toJsonLines(chain.records.slice(0, 10)));
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(stateDir, 'audit'), { recursive: true });
    writeFileSync(join(stateDir, 'audit', 'key.pub.pem'), chain.key.publicKeyPem);
    const io = captureIo();

    const code = await runCli(['audit', 'verify', '--file', file, '--state-dir', stateDir], io);

    expect(code).toBe(0);
    expect(io.out()).toMatch(/^audit trail intact: 10 records/);
  });

  it('exits 2 when the export file is missing', async () => {
    const io = captureIo();

    const code = await runCli(
      ['audit', 'verify', '--file', join(dir, 'none.jsonl'), '--key', keyFile],
      io,
    );

    expect(code).toBe(2);
    expect(io.err()).toMatch(/^cli_input_unreadable: cannot read .*none\.jsonl: ENOENT\n$/);
  });

  it('fetches every page and the key from the server when no file is given', async () => {
    const { client, paths } = fakeServer(chain.records, chain.key.publicKeyPem);
    const io = captureIo();

    await auditVerify(io, { stateDir: join(dir, 'no-state') }, async () => client);

    expect(io.out()).toMatch(/^audit trail intact: 230 records/);
    expect(paths).toContain('/v1/admin/audit/key');
    expect(paths.filter((p) => p.startsWith('/v1/admin/audit?'))).toHaveLength(6);
  });

  it('exports every record as JSON Lines, page after page', async () => {
    const { client } = fakeServer(chain.records, chain.key.publicKeyPem, 100);
    const io = captureIo();

    await auditExport(io, client);

    expect(parseAuditJsonLines(io.out())).toEqual(chain.records);
  });

  it('refuses a cursor that does not advance', async () => {
    const client = new AdminClient(
      { request: async () => ({ status: 200, headers: {}, body: { records: [], next_after: 0 } }) },
      'https://localhost:8443',
    );

    await expect(pageAudit(client, 0, () => undefined)).rejects.toMatchObject({
      code: 'cli_server_response_invalid',
    });
  });

  it('names the seq after the last good record when a line is not JSON', () => {
    const text = `${toJsonLines(chain.records.slice(0, 3))}{not json\n`;

    expect(() => parseAuditJsonLines(text)).toThrow('seq 4: line 4 is not a JSON record');
  });
});
