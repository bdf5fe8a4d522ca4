// Whole-stack enrollment over HTTPS: a control-plane process (memory store, file signer) and
// this process as many clients, challenge + enroll per token, a bounded number of times.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { generateKeyAndCsr } from '@zen/ca';
import { EnrollmentClient, ZenHttpClient, parseJoinToken } from '@zen/transport';

import { freePort, waitUntilReady } from '../harness/control-plane-process';

import { Measurement } from './measure';

const ROOT = resolve(__dirname, '..', '..');

export interface HttpEnrollmentOptions {
  enrollments: number;
  concurrency: number;
  maxMs: number;
}

/** Enrollments per second through the whole stack, with every answer checked to be a 201. */
export async function measureHttpEnrollment(opts: HttpEnrollmentOptions): Promise<Measurement> {
  const stateDir = mkdtempSync(join(tmpdir(), 'zen-bench-'));
  const port = await freePort();
  const cp = spawn(
    join(ROOT, 'bin', 'control-plane'),
    // Every client here shares one address, so the per-address limit is lifted for the run.
    [
      ...['--state-dir', stateDir, '--listen', `127.0.0.1:${port}`, '--store', 'memory'],
      ...['--rate-limit-per-address', '1000000'],
    ],
    { stdio: 'ignore', env: { ...process.env, ZEN_LOG_LEVEL: 'warn' } },
  );
  const baseUrl = `https://localhost:${port}`;
  try {
    const caPem = await waitUntilReady(baseUrl, stateDir, cp);
    if (caPem === null) throw new Error('control plane not ready within 60 s');
    const tokens = await createTokens(baseUrl, stateDir, caPem, opts.enrollments);
    const csrs = await Promise.all(
      Array.from(
        { length: 16 },
        async () => (await generateKeyAndCsr({ keyType: 'P-256' })).csrPem,
      ),
    );

    return await enrollAll(baseUrl, caPem, tokens, csrs, opts);
  } finally {
    cp.kill('SIGTERM');
    rmSync(stateDir, { recursive: true, force: true });
  }
}

async function enrollAll(
  baseUrl: string,
  caPem: string,
  tokens: string[],
  csrs: string[],
  opts: HttpEnrollmentOptions,
): Promise<Measurement> {
  const clients = Array.from(
    { length: opts.concurrency },
    () => new EnrollmentClient({ baseUrl, caPem }),
  );
  const start = process.hrtime.bigint();
  const deadline = Date.now() + opts.maxMs;
  let next = 0;
  let done = 0;
  const worker = async (client: EnrollmentClient) => {
    while (next < tokens.length && Date.now() < deadline) {
      const i = next++;
      const outcome = await client.enroll(parseJoinToken(tokens[i]), csrs[i % csrs.length]);
      if (!outcome.ok) throw new Error(`enrollment refused: ${outcome.status} ${outcome.code}`);
      done++;
    }
  };
  await Promise.all(clients.map(worker));
  const totalMs = Number(process.hrtime.bigint() - start) / 1e6;
  clients.forEach((c) => c.close());

  return { name: `enroll over HTTPS (${opts.concurrency} in flight)`, runs: done, totalMs };
}

async function createTokens(
  baseUrl: string,
  stateDir: string,
  caPem: string,
  count: number,
): Promise<string[]> {
  const admin = new ZenHttpClient({
    baseUrl,
    caPem,
    certChainPem: readFileSync(join(stateDir, 'admin', 'svid.pem'), 'utf8'),
    keyPem: readFileSync(join(stateDir, 'admin', 'key.pem'), 'utf8'),
  });
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await admin.request<{ token: string }>('POST', '/v1/admin/tokens', {
      component: 'zen-agent',
      name: `bench-${i}`,
      ttl_seconds: 3600,
    });
    if (res.status !== 200 && res.status !== 201) throw new Error(`token create: ${res.status}`);
    tokens.push(res.body.token);
  }
  admin.close();

  return tokens;
}
