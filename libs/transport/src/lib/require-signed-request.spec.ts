import type { Express } from 'express';

import { CryptoRandom } from '@zen/config';
import type { Random } from '@zen/config';
import { FakeClock } from '@zen/config/testing';
import { MemorySeenNonceMemory, ReplayWindow } from '@zen/hmac';
import { createCapturingLogger } from '@zen/logging/testing';

import { createApp, finishApp } from './create-app';
import { requirePeer } from './require-peer';
import { requireSignedRequest } from './require-signed-request';
import type { ResolvedSigningKey } from './require-signed-request';
import { signRequestHeaders } from './sign-request';
import type { SignedRequestCredentials } from './sign-request';
import { sendRaw } from './testing/send-raw';
import type { RawResponse } from './testing/send-raw';
import { makeTestPki } from './testing/test-pki';
import type { TestPki, TestSvid } from './testing/test-pki';
import { startTestMtlsServer } from './testing/test-server';
import type { TestMtlsServer } from './testing/test-server';

const AGENT_ID = 'spiffe://zen.mesh/zen-agent/node-1';
const OTHER_ID = 'spiffe://zen.mesh/zen-agent/node-2';
const AGENT_KEY: SignedRequestCredentials = { hmacKeyId: 'k-agent', hmacKey: Buffer.alloc(32, 1) };
const OTHER_KEY: SignedRequestCredentials = { hmacKeyId: 'k-other', hmacKey: Buffer.alloc(32, 2) };

/** Hands out the same nonce every time, so a second request replays the first. */
function fixedRandom(fill: number): Random {
  return { bytes: (length: number) => Buffer.alloc(length, fill) };
}

function codeOf(res: { body?: unknown; json?: unknown }): string | undefined {
  const body = (res.body ?? res.json) as { error?: { code?: string } } | undefined;

  return body?.error?.code;
}

describe('requireSignedRequest over real mTLS', () => {
  let pki: TestPki;
  let agent: TestSvid;
  let server: TestMtlsServer;
  let serverClock: FakeClock;
  let keys: Map<string, ResolvedSigningKey>;

  beforeAll(async () => {
    pki = await makeTestPki('zen.mesh');
    agent = await pki.issueSvid(AGENT_ID);
  });

  beforeEach(async () => {
    serverClock = new FakeClock(Date.now());
    keys = new Map([
      [AGENT_KEY.hmacKeyId, { spiffeId: AGENT_ID, key: AGENT_KEY.hmacKey }],
      [OTHER_KEY.hmacKeyId, { spiffeId: OTHER_ID, key: OTHER_KEY.hmacKey }],
    ]);
    const { logger } = createCapturingLogger('transport-spec');
    const app: Express = createApp({ logger });
    const guards = [
      requirePeer({ trustDomain: 'zen.mesh', bundle: () => pki.bundle, clock: serverClock }),
      requireSignedRequest({
        resolveKey: async (keyId) => keys.get(keyId) ?? null,
        replay: new ReplayWindow(new MemorySeenNonceMemory(() => serverClock.nowMs())),
        clock: serverClock,
      }),
    ];
    app.all('/signed', ...guards, (req, res) => {
      res.json({ keyId: req.signedKeyId, spiffeId: req.peer?.spiffeId, body: req.body ?? null });
    });
    finishApp(app, logger);
    server = await startTestMtlsServer(app, pki);
  });

  afterEach(async () => {
    await server.close();
  });

  /** Sends a request signed for `signedAs` but carrying `sent` (to tamper with either). */
  function sendSigned(p: {
    path: string;
    body?: string;
    signedPath?: string;
    signedBody?: string;
    credentials?: SignedRequestCredentials;
    random?: Random;
    override?: Record<string, string>;
    svid?: TestSvid | null;
  }): Promise<RawResponse> {
    const body = Buffer.from(p.body ?? '');
    const headers = signRequestHeaders({
      credentials: p.credentials ?? AGENT_KEY,
      method: 'POST',
      pathAndQuery: p.signedPath ?? p.path,
      body: p.signedBody === undefined ? body : Buffer.from(p.signedBody),
      clock: serverClock,
      random: p.random ?? new CryptoRandom(),
    });
    const svid = p.svid === undefined ? agent : p.svid;

    return sendRaw(server.baseUrl, {
      method: 'POST',
      path: p.path,
      headers: { ...headers, 'Content-Length': String(body.length), ...(p.override ?? {}) },
      chunks: [body],
      tls: {
        ca: pki.rootPem,
        ...(svid === null ? {} : { cert: svid.certChainPem, key: svid.keyPem }),
      },
    });
  }

  it('accepts a signed request and tells the handler the key id', async () => {
    const client = server.client(agent, AGENT_KEY);

    const res = await client.request('POST', '/signed?x=1&y=%20', { hello: 'world' });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ keyId: 'k-agent', spiffeId: AGENT_ID, body: { hello: 'world' } });
  });

  it('accepts a signed GET without a body', async () => {
    const res = await server.client(agent, AGENT_KEY).request('GET', '/signed');

    expect(res.status).toBe(200);
  });

  it('answers 401 signature_invalid when the headers are missing', async () => {
    const res = await server.client(agent).request('POST', '/signed', {});

    expect(res.status).toBe(401);
    expect(res.body).toEqual({
      error: { code: 'signature_invalid', message: 'request signature headers missing' },
    });
  });

  it.each([
    ['a key id with a space', 'Zen-Key-Id', 'k agent'],
    ['a fractional timestamp', 'Zen-Timestamp', '1700000000.5'],
    ['a negative timestamp', 'Zen-Timestamp', '-5'],
    ['a short nonce', 'Zen-Nonce', 'abcd'],
    ['an uppercase nonce', 'Zen-Nonce', 'ABCDEF0123456789ABCDEF0123456789'],
    ['a short signature', 'Zen-Signature', 'ab'.repeat(31)],
    ['a non-hex signature', 'Zen-Signature', 'zz'.repeat(32)],
  ])('answers signature_invalid for %s', async (_name, header, value) => {
    const res = await sendSigned({ path: '/signed', override: { [header]: value } });

    expect(res.status).toBe(401);
    expect(codeOf(res)).toBe('signature_invalid');
    expect(res.headers['x-request-id']).toBeDefined();
  });

  it('answers signature_invalid for an unknown key id', async () => {
    const unknown = { hmacKeyId: 'k-unknown', hmacKey: AGENT_KEY.hmacKey };

    const res = await sendSigned({ path: '/signed', credentials: unknown });

    expect(codeOf(res)).toBe('signature_invalid');
  });

  it('answers signature_invalid for a signature made with another key', async () => {
    const wrong = { hmacKeyId: AGENT_KEY.hmacKeyId, hmacKey: Buffer.alloc(32, 9) };

    const res = await sendSigned({ path: '/signed', credentials: wrong });

    expect(codeOf(res)).toBe('signature_invalid');
  });

  it('answers signature_invalid when the body differs from the signed one', async () => {
    const res = await sendSigned({ path: '/signed', body: '{"a":2}', signedBody: '{"a":1}' });

    expect(codeOf(res)).toBe('signature_invalid');
  });

  it('answers signature_invalid when the query differs from the signed one', async () => {
    const res = await sendSigned({ path: '/signed?x=2', signedPath: '/signed?x=1' });

    expect(codeOf(res)).toBe('signature_invalid');
  });

  it('answers identity_mismatch for a key of another identity', async () => {
    const res = await sendSigned({ path: '/signed', credentials: OTHER_KEY });

    expect(res.status).toBe(401);
    expect(codeOf(res)).toBe('identity_mismatch');
  });

  it('answers unauthenticated for a signed request without a client certificate', async () => {
    const res = await sendSigned({ path: '/signed', svid: null });

    expect(codeOf(res)).toBe('unauthenticated');
  });

  it('answers replay for a nonce seen before', async () => {
    const client = server.client(agent, AGENT_KEY, { random: fixedRandom(7), clock: serverClock });

    const first = await client.request('POST', '/signed', { n: 1 });
    const second = await client.request('POST', '/signed', { n: 1 });

    expect(first.status).toBe(200);
    expect(second.status).toBe(401);
    expect(codeOf(second)).toBe('replay');
  });

  it('checks the nonce before the signature, as PROTOCOL.md orders them', async () => {
    const wrong = { hmacKeyId: AGENT_KEY.hmacKeyId, hmacKey: Buffer.alloc(32, 9) };

    const good = await sendSigned({ path: '/signed', random: fixedRandom(5) });
    const replayedWithBadSignature = await sendSigned({
      path: '/signed',
      credentials: wrong,
      random: fixedRandom(5),
    });
    const freshWithBadSignature = await sendSigned({
      path: '/signed',
      credentials: wrong,
      random: fixedRandom(6),
    });

    expect(good.status).toBe(200);
    expect(codeOf(replayedWithBadSignature)).toBe('replay');
    expect(codeOf(freshWithBadSignature)).toBe('signature_invalid');
  });

  it.each([
    ['301 s ahead', 301, 401],
    ['301 s behind', -301, 401],
    ['300 s ahead', 300, 200],
    ['300 s behind', -300, 200],
  ])('checks the timestamp skew: %s', async (_name, offsetSeconds, status) => {
    const clientClock = new FakeClock(serverClock.nowMs() + offsetSeconds * 1000);
    const client = server.client(agent, AGENT_KEY, { clock: clientClock });

    const res = await client.request('POST', '/signed', {});

    expect(res.status).toBe(status);
    if (status === 401) expect(codeOf(res)).toBe('skew');
  });
});
