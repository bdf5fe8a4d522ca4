import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { promisify } from 'node:util';

import type { Express } from 'express';

import { FakeClock } from '@zen/config/testing';
import type { TrustBundle } from '@zen/identity';
import { createCapturingLogger } from '@zen/logging/testing';

import { createApp, finishApp } from './create-app';
import type { PeerIdentity } from './peer-identity';
import { requirePeer } from './require-peer';
import { makeTestPki, toPem } from './testing/test-pki';
import type { TestPki, TestSvid } from './testing/test-pki';
import { startTestMtlsServer } from './testing/test-server';
import type { TestMtlsServer } from './testing/test-server';

const run = promisify(execFile);
const AGENT_ID = 'spiffe://zen.mesh/zen-agent/node-1';

describe('requirePeer over real mTLS', () => {
  let pki: TestPki;
  let otherDomain: TestPki;
  let rogue: TestPki;
  let agent: TestSvid;
  let server: TestMtlsServer;
  let bundle: TrustBundle;
  let clock: FakeClock;
  let revoked: Set<string>;
  let capture: ReturnType<typeof createCapturingLogger>;

  beforeAll(async () => {
    [pki, otherDomain, rogue] = await Promise.all([
      makeTestPki('zen.mesh'),
      makeTestPki('other.mesh'),
      makeTestPki('zen.mesh'),
    ]);
    agent = await pki.issueSvid(AGENT_ID);
  });

  beforeEach(async () => {
    clock = new FakeClock(Date.now());
    bundle = pki.bundle;
    revoked = new Set();
    capture = createCapturingLogger('transport-spec');
    const app: Express = createApp({ logger: capture.logger });
    app.get('/public', (_req, res) => {
      res.json({ ok: true });
    });
    const guard = requirePeer({
      trustDomain: 'zen.mesh',
      bundle: () => bundle,
      isRevoked: async (peer: PeerIdentity) => revoked.has(peer.spiffeId),
      clock,
    });
    app.get('/whoami', guard, (req, res) => {
      res.json(req.peer);
    });
    finishApp(app, capture.logger);
    server = await startTestMtlsServer(app, pki);
  });

  afterEach(async () => {
    await server.close();
  });

  it('serves a public route to a client without a certificate', async () => {
    const res = await server.client().request('GET', '/public');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
  });

  it('answers 401 unauthenticated on a protected route without a client certificate', async () => {
    const res = await server.client().request('GET', '/whoami');

    expect(res.status).toBe(401);
    expect(res.body).toEqual({
      error: { code: 'unauthenticated', message: 'client certificate required' },
    });
    expect(res.headers['x-request-id']).toBeDefined();
  });

  it('verifies a leaf + intermediate chain and hands the peer identity on', async () => {
    const res = await server.client(agent).request('GET', '/whoami');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      spiffeId: AGENT_ID,
      serial: agent.serial,
      certSha256: createHash('sha256').update(agent.leafDer).digest('hex'),
      notAfterMs: expect.any(Number),
    });
  });

  it('accepts a leaf issued by the root directly', async () => {
    const direct = await pki.issueSvid('spiffe://zen.mesh/ingester/i1', { fromRoot: true });

    const res = await server.client(direct).request('GET', '/whoami');

    expect(res.status).toBe(200);
    expect((res.body as PeerIdentity).spiffeId).toBe('spiffe://zen.mesh/ingester/i1');
  });

  it('logs the peer SPIFFE ID on the access line', async () => {
    await server.client(agent).request('GET', '/whoami');

    const access = capture.lines().find((line) => line['route'] === '/whoami');
    expect(access?.['spiffe_id']).toBe(AGENT_ID);
  });

  it('answers 401 for an SVID of another trust domain', async () => {
    const foreign = await otherDomain.issueSvid('spiffe://other.mesh/zen-agent/node-1');

    const res = await server.client(foreign).request('GET', '/whoami');

    expect(res.status).toBe(401);
    expect((res.body as { error: { code: string } }).error.code).toBe('unauthenticated');
  });

  it('answers 401 for an SVID of the right trust domain under an untrusted root', async () => {
    const forged = await rogue.issueSvid(AGENT_ID);

    const res = await server.client(forged).request('GET', '/whoami');

    expect(res.status).toBe(401);
    expect((res.body as { error: { code: string } }).error.code).toBe('unauthenticated');
  });

  it('answers 401 for a leaf sent without its intermediate', async () => {
    const leafOnly = { ...agent, certChainPem: toPem([agent.leafDer]) };

    const res = await server.client(leafOnly).request('GET', '/whoami');

    expect(leafOnly.certChainPem.match(/BEGIN CERTIFICATE/g)).toHaveLength(1);
    expect(res.status).toBe(401);
  });

  it('answers 403 forbidden for a revoked identity', async () => {
    revoked.add(AGENT_ID);

    const res = await server.client(agent).request('GET', '/whoami');

    expect(res.status).toBe(403);
    expect((res.body as { error: { code: string } }).error.code).toBe('forbidden');
  });

  it('re-checks expiry on a kept-alive connection', async () => {
    const client = server.client(agent);
    const first = await client.request('GET', '/whoami');

    clock.advanceSeconds(2 * 3600);
    const second = await client.request('GET', '/whoami');

    expect(first.status).toBe(200);
    expect(second.status).toBe(401);
  });

  it('re-verifies a kept-alive connection when the bundle changes', async () => {
    const client = server.client(agent);
    const first = await client.request('GET', '/whoami');

    bundle = { ...otherDomain.bundle, trustDomain: 'zen.mesh', sequence: 2 };
    const second = await client.request('GET', '/whoami');

    expect(first.status).toBe(200);
    expect(second.status).toBe(401);
  });

  it('checks revocation on every request of a kept-alive connection', async () => {
    const client = server.client(agent);
    const first = await client.request('GET', '/whoami');

    revoked.add(AGENT_ID);
    const second = await client.request('GET', '/whoami');

    expect([first.status, second.status]).toEqual([200, 403]);
  });

  it('serves swapped credentials to new connections', async () => {
    const next = await pki.issueServerSvid();

    server.mtls.updateCredentials({
      certChainPem: next.certChainPem,
      keyPem: next.keyPem,
      caPem: pki.rootPem,
    });
    const serial = await new Promise<string>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: server.port, ca: pki.rootPem }, () => {
        resolve(socket.getPeerCertificate().serialNumber.toLowerCase());
        socket.end();
      });
      socket.on('error', reject);
    });

    expect(serial).toBe(next.serial);
    expect(next.serial).not.toBe(server.serverSvid.serial);
  });

  describe('with curl', () => {
    let dir: string;

    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'zen-transport-curl-'));
      writeFileSync(join(dir, 'svid.pem'), agent.certChainPem);
      writeFileSync(join(dir, 'key.pem'), agent.keyPem, { mode: 0o600 });
      writeFileSync(join(dir, 'bundle.pem'), pki.rootPem);
    });

    afterAll(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    it('interoperates with curl --cert --key --cacert', async () => {
      const { stdout } = await run('/usr/bin/curl', [
        '--silent',
        '--show-error',
        '--cert',
        join(dir, 'svid.pem'),
        '--key',
        join(dir, 'key.pem'),
        '--cacert',
        join(dir, 'bundle.pem'),
        `${server.baseUrl}/whoami`,
      ]);

      expect(JSON.parse(stdout)).toMatchObject({ spiffeId: AGENT_ID, serial: agent.serial });
    });

    it('gives curl without a client certificate a JSON 401 on a protected route', async () => {
      const { stdout } = await run('/usr/bin/curl', [
        '--silent',
        '--cacert',
        join(dir, 'bundle.pem'),
        '--write-out',
        '\n%{http_code}',
        `${server.baseUrl}/whoami`,
      ]);
      const [body, status] = stdout.split('\n');

      expect(status).toBe('401');
      expect(JSON.parse(body)).toEqual({
        error: { code: 'unauthenticated', message: 'client certificate required' },
      });
    });
  });
});
