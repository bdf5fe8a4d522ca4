import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

import { certificateSha256, parseTrustDomain } from '@zen/identity';

import { CliError, codedError, invalidInput } from '../lib/errors';
import type { CliIo } from '../lib/io';
import type { AdminClient } from './admin-client';
import { printFields, printJson, printLine, printTable, rfc3339 } from './output';
import { parseTtl } from './svid';

/** Options of `zenctl ca init`. */
export interface CaInitOptions {
  dir: string;
  trustDomain: string;
  ttl?: string;
}

/**
 * `zenctl ca init`: writes a root and an intermediate (keys mode 0600) with @zen/ca, then prints
 * the trust domain and the root's sha256, the value components pin with `--ca-hash`. Refuses a
 * directory that already holds files, so existing keys are never overwritten.
 */
export async function caInit(io: CliIo, opts: CaInitOptions): Promise<void> {
  const trustDomain = parseTrustDomainOption(opts.trustDomain);
  const ttlSeconds = opts.ttl === undefined ? undefined : parseTtl(opts.ttl);
  await assertEmptyOrMissing(opts.dir);
  const { DISK_CA_FILES, createCaOnDisk, loadCaFromDisk } = await import('@zen/ca');

  await createCaOnDisk(opts.dir, trustDomain, ttlSeconds);
  const ca = await loadCaFromDisk(opts.dir);

  printFields(io, [
    ['ca directory', opts.dir],
    ['trust domain', ca.trustDomain],
    ['not after', rfc3339({ seconds: ca.notAfter })],
    ['trust bundle', join(opts.dir, DISK_CA_FILES.bundle)],
    ['root sha256', `sha256:${certificateSha256(ca.bundle.roots[0])}`],
  ]);
}

async function assertEmptyOrMissing(dir: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    const reason = `cannot use ${dir}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}`;
    throw new CliError('cli_input_unreadable', reason, 2, { cause: err });
  }
  if (entries.length > 0) {
    throw new CliError('cli_ca_dir_not_empty', `${dir} is not empty; refusing to overwrite`, 2);
  }
}

function parseTrustDomainOption(text: string): string {
  try {
    return parseTrustDomain(text);
  } catch (err) {
    throw invalidInput(`invalid --trust-domain: ${codedError(err)?.reason ?? text}`, err);
  }
}

/** One CA generation as the admin API describes it. */
export interface CaGenerationView {
  id: string;
  state: string;
  not_before: string;
  not_after: string;
  root_sha256: string;
}

/** The answer of the CA status endpoint. */
export interface CaStatusView {
  trust_domain?: string;
  bundle_sequence: number;
  generations: CaGenerationView[];
}

/** The admin path of the CA status. */
export const CA_STATUS_PATH = '/v1/admin/ca';

/** `zenctl ca status [--json]`: CA generations and the bundle sequence. */
export async function caStatus(
  io: CliIo,
  client: AdminClient,
  opts: { json?: boolean },
): Promise<void> {
  const status = await client.get<CaStatusView>(CA_STATUS_PATH);
  if (opts.json) return printJson(io, status);

  printLine(io, `bundle sequence ${status.bundle_sequence}`);
  printTable(
    io,
    ['GENERATION', 'STATE', 'NOT BEFORE', 'NOT AFTER', 'ROOT SHA256'],
    (status.generations ?? []).map((g) => [
      g.id,
      g.state,
      g.not_before,
      g.not_after,
      g.root_sha256,
    ]),
  );
}

/** `zenctl ca rotate`: prepares a CA generation if none is, and activates it now. */
export async function caRotate(io: CliIo, client: AdminClient): Promise<void> {
  const answer = await client.post<{ transitions?: { kind: string; generation_id?: string }[] }>(
    '/v1/admin/ca/rotate',
  );
  const transitions = answer?.transitions ?? [];
  if (transitions.length === 0) return printLine(io, 'ca rotated');

  for (const t of transitions) printLine(io, `${t.kind} ${t.generation_id ?? ''}`.trimEnd());
}
