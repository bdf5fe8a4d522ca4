import type { Express } from 'express';

import { FakeClock } from '@zen/config/testing';
import { MemorySeenNonceMemory, ReplayWindow } from '@zen/hmac';
import { createCapturingLogger } from '@zen/logging/testing';

import { createApp, finishApp } from './create-app';
import { InProcessTransport } from './in-process-transport';
import { requirePeer } from './require-peer';
import { requireSignedRequest } from './require-signed-request';
import { sendRaw } from './testing/send-raw';
import { makeTestPki } from './testing/test-pki';
import type { TestPki, TestSvid } from './testing/test-pki';
import type { TransportResponse } from './transport';

const AGENT_ID = 'spiffe://zen.mesh/zen-agent/node-1';
const SIGNING = { hmacKeyId: 'k1', hmacKey: Buffer.alloc(32, 3) };

type ErrorBody = { error: { code: string } };

describe('InProcessTransport', () => {
  let pki: TestPki;
  let agent: TestSvid;
  let app: Express;
  let clock: FakeClock;
  const transports: InProcessTransport[] = [];

  function transport(opts: Partial<ConstructorParameters<typeof InProcessTransport>[0]>) {
    const made = new InProcessTransport({ app, clock, ...opts });
    transports.push(made);
    return made;
  }

  beforeAll(async () => {
    pki = await makeTestPki('zen.mesh');
    agent = await pki.issueSvid(AGENT_ID);
  });

  beforeEach(() => {
    clock = new FakeClock(Date.now());
    const { logger } = createCapturingLogger('transport-spec');
    app = createApp({ logger });
    app.post(
      '/v1/confirm',
      requirePeer({ trustDomain: 'zen.mesh', bundle: () => pki.bundle, clock }),
      requireSignedRequest({
        resolveKey: async (id) =>
          id === 'k1' ? { spiffeId: AGENT_ID, key: SIGNING.hmacKey } : null,
        replay: new ReplayWindow(new MemorySeenNonceMemory(() => clock.nowMs())),
        clock,
      }),
      (req, res) => {
        res.json({ peer: req.peer?.spiffeId, body: req.body });
      },
    );
    finishApp(app, logger);
  });

  afterEach(async () => {
    await Promise.all(transports.splice(0).map((t) => t.close()));
  });

  it('runs the real peer and signature checks with the injected chain', async () => {
    const t = transport({ peerChain: agent.chainDer, signing: SIGNING });

    const res = await t.send({
      method: 'POST',
      path: '/v1/confirm',
      body: { enrollment_id: 'e1' },
    });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ peer: AGENT_ID, body: { enrollment_id: 'e1' } });
  });

  it('answers unauthenticated without an injected chain', async () => {
    const t = transport({ signing: SIGNING });

    const res: TransportResponse<ErrorBody> = await t.send({ method: 'POST', path: '/v1/confirm' });

    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthenticated');
  });

  it('answers unauthenticated for an injected chain from an untrusted root', async () => {
    const rogue = await (await makeTestPki('zen.mesh')).issueSvid(AGENT_ID);
    const t = transport({ peerChain: rogue.chainDer, signing: SIGNING });

    const res: TransportResponse<ErrorBody> = await t.send({ method: 'POST', path: '/v1/confirm' });

    expect(res.body.error.code).toBe('unauthenticated');
  });

  it('answers signature_invalid when the caller holds no signing key', async () => {
    const t = transport({ peerChain: agent.chainDer });

    const res: TransportResponse<ErrorBody> = await t.send({ method: 'POST', path: '/v1/confirm' });

    expect(res.body.error.code).toBe('signature_invalid');
  });

  it('gives no peer to a request that does not carry the instance tag', async () => {
    const t = transport({ peerChain: agent.chainDer, signing: SIGNING });
    await t.send({ method: 'POST', path: '/nothing' });
    const origin = await (t as unknown as { origin: Promise<URL> }).origin;

    const res = await sendRaw(origin.origin, {
      method: 'POST',
      path: '/v1/confirm',
      headers: { 'x-zen-in-process-tag': 'f'.repeat(64) },
    });

    expect(res.status).toBe(401);
    expect((res.json as ErrorBody).error.code).toBe('unauthenticated');
  });
});
