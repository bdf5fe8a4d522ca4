// `npm run bench`: issuance, SVID verification and request signing, each against a baseline of
// raw node:crypto operations measured in the same run, so the ratios hold on any machine.
import 'reflect-metadata';

import {
  createHmac,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  verify,
} from 'node:crypto';

import { makeTestCa, makeCsr } from '@zen/ca/testing';
import { parseCsrPem, validateCsr } from '@zen/ca';
import { hmacHex, requestSigningString, verifyHmacHex } from '@zen/hmac';
import { parsePemCertificates, verifyX509Svid } from '@zen/identity';

import { measureHttpEnrollment } from './enroll-http';
import { Measurement, formatRow, measure } from './measure';

const MAX_MS = Number(process.env.BENCH_MAX_MS ?? 2000);

async function main(): Promise<void> {
  const limits = { maxMs: MAX_MS, maxRuns: 20_000 };
  const rows: [Measurement, Measurement][] = [];

  // Baseline: the two public-key operations an enrollment cannot avoid. Every enrollment
  // brings a key never seen before, so the verify imports a fresh public key each time (a
  // warmed key verifies about three times faster and would flatter the figures).
  const KEYS = 50;
  const data = randomBytes(256);
  const pairs = Array.from({ length: KEYS }, () =>
    generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  );
  const spkis = pairs.map((p) => p.publicKey.export({ format: 'der', type: 'spki' }));
  const signatures = pairs.map((p) => sign('sha256', data, p.privateKey));
  const { privateKey, publicKey } = pairs[0];
  const signature = signatures[0];
  let k = 0;
  const ecdsaPair = await measure(
    'baseline: import key + ECDSA P-256 verify + sign',
    () => {
      const i = k++ % KEYS;
      const key = createPublicKey({ key: spkis[i], format: 'der', type: 'spki' });
      return verify('sha256', data, key, signatures[i]) && sign('sha256', data, privateKey);
    },
    limits,
  );

  const ca = await makeTestCa('bench.zen');
  const csrs = await Promise.all(
    Array.from({ length: KEYS }, async () => (await makeCsr({ keyType: 'P-256' })).csrPem),
  );
  const csrPem = csrs[0];
  const spiffeId = 'spiffe://bench.zen/zen-agent/bench';
  const nowSeconds = () => Math.floor(Date.now() / 1000);
  let c = 0;
  const issuance = await measure(
    'issue: parse + validate CSR, issue SVID',
    async () => {
      const csr = parseCsrPem(csrs[c++ % KEYS]);
      validateCsr(csr, spiffeId);
      return ca.issuer.issueSvid({
        publicKeySpki: csr.publicKeySpki,
        spiffeId,
        ttlSeconds: 3600,
        nowSeconds: nowSeconds(),
      });
    },
    limits,
  );
  rows.push([issuance, ecdsaPair]);

  const issued = await ca.issuer.issueSvid({
    publicKeySpki: parseCsrPem(csrPem).publicKeySpki,
    spiffeId,
    ttlSeconds: 3600,
    nowSeconds: nowSeconds(),
  });
  const chain = parsePemCertificates(issued.chainPem);
  const ecdsaVerifyTwice = await measure(
    'baseline: 2 x ECDSA P-256 verify',
    () =>
      verify('sha256', data, publicKey, signature) && verify('sha256', data, publicKey, signature),
    limits,
  );
  const svidVerify = await measure(
    'verify: X.509-SVID leaf -> intermediate -> root',
    () => verifyX509Svid({ chain, bundle: ca.bundle }),
    limits,
  );
  rows.push([svidVerify, ecdsaVerifyTwice]);

  const key = randomBytes(32);
  const body = Buffer.from(JSON.stringify({ csr: csrPem }));
  const bareHmac = await measure(
    'baseline: one HMAC-SHA256 over the body',
    () => createHmac('sha256', key).update(body).digest('hex'),
    limits,
  );
  const params = {
    method: 'POST',
    pathAndQuery: '/v1/svid/renew',
    timestamp: nowSeconds(),
    nonce: randomBytes(16).toString('hex'),
    body,
  };
  const mac = hmacHex(key, requestSigningString(params));
  const signedVerify = await measure(
    'verify: signed request (canonical string + MAC)',
    () => verifyHmacHex(key, requestSigningString(params), mac),
    limits,
  );
  rows.push([signedVerify, bareHmac]);

  // The whole stack against issuance alone: what HTTP, TLS, the store, the audit append and
  // the MAC checks add to each enrollment.
  const overHttp = await measureHttpEnrollment({
    enrollments: Number(process.env.BENCH_ENROLLMENTS ?? 400),
    concurrency: 8,
    maxMs: MAX_MS * 5,
  });
  rows.push([overHttp, issuance]);

  console.log(`zen bench (node ${process.version}, up to ${MAX_MS} ms per figure)`);
  for (const [m, baseline] of rows) {
    console.log(formatRow(baseline, baseline));
    console.log(formatRow(m, baseline));
  }
}

main().catch((err: unknown) => {
  console.error(`bench failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
