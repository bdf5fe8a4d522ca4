import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

import type { Express } from 'express';

import { createCapturingLogger } from '@zen/logging/testing';

import { createApp, finishApp } from './create-app';
import { TransportError } from './errors';
import { HttpTransport } from './http-transport';
import { requirePeer } from './require-peer';
import { makeTestPki } from './testing/test-pki';
import type { TestPki } from './testing/test-pki';
import { startTestMtlsServer } from './testing/test-server';
import type { TestMtlsServer } from './testing/test-server';
import { ZenHttpClient } from './zen-http-client';

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof TransportError) return err.code;
    throw err;
  }
  throw new Error('no error');
}

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));

  return port;
}

describe('ZenHttpClient', () => {
  let pki: TestPki;
  let server: TestMtlsServer;

  beforeAll(async () => {
    pki = await makeTestPki('zen.mesh');
    const { logger } = createCapturingLogger('transport-spec');
    const app: Express = createApp({ logger });
    app.post('/v1/echo', (req, res) => {
      res.status(201).json({ got: req.body, target: req.originalUrl });
    });
    app.get('/v1/text', (_req, res) => {
      res.type('text/plain').send('plain words');
    });
    app.get(
      '/v1/whoami',
      requirePeer({ trustDomain: 'zen.mesh', bundle: () => pki.bundle }),
      (req, res) => {
        res.json({ spiffeId: req.peer?.spiffeId });
      },
    );
    app.get('/v1/hang', () => {
      // Never answers: the client's timeout has to end the request.
    });
    finishApp(app, logger);
    server = await startTestMtlsServer(app, pki);
  });

  afterAll(async () => {
    await server.close();
  });

  it('sends JSON and returns status, lowercase headers and the parsed body', async () => {
    const res = await server.client().request('POST', '/v1/echo?a=1', { x: [1, 2] });

    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({ got: { x: [1, 2] }, target: '/v1/echo?a=1' });
  });

  it('returns error statuses instead of throwing', async () => {
    const res = await server.client().request('GET', '/v1/missing');

    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'not_found', message: 'no such endpoint' } });
  });

  it('returns a non-JSON body as text', async () => {
    const res = await server.client().request('GET', '/v1/text');

    expect(res.body).toBe('plain words');
  });

  it('keeps a path prefix of the base URL in front of the request path', async () => {
    const client = server.client(undefined, undefined, { baseUrl: `${server.baseUrl}/v1` });

    const res = await client.request('POST', '/echo', {});

    expect(res.body).toMatchObject({ target: '/v1/echo' });
  });

  it('throws transport_connect_failed when nothing listens', async () => {
    const port = await closedPort();
    const client = new ZenHttpClient({ baseUrl: `https://127.0.0.1:${port}`, caPem: pki.rootPem });

    expect(await codeOf(client.request('GET', '/healthz'))).toBe('transport_connect_failed');
  });

  it('throws transport_connect_failed for a server outside the pinned bundle', async () => {
    const other = await makeTestPki('zen.mesh');
    const client = server.client(undefined, undefined, { caPem: other.rootPem });

    expect(await codeOf(client.request('GET', '/v1/text'))).toBe('transport_connect_failed');
  });

  it('checks the server SPIFFE ID when one is expected', async () => {
    const good = server.client(undefined, undefined, {
      serverSpiffeId: 'spiffe://zen.mesh/control-plane/test',
    });
    const bad = server.client(undefined, undefined, {
      serverSpiffeId: 'spiffe://zen.mesh/control-plane/other',
    });

    expect((await good.request('GET', '/v1/text')).status).toBe(200);
    expect(await codeOf(bad.request('GET', '/v1/text'))).toBe('transport_connect_failed');
  });

  it('serves the Transport port through HttpTransport', async () => {
    const transport = new HttpTransport(server.client());

    const res = await transport.send({ method: 'POST', path: '/v1/echo', body: { k: 'v' } });

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ got: { k: 'v' } });
  });

  it('presents new credentials after updateCredentials', async () => {
    const svid = await pki.issueSvid('spiffe://zen.mesh/zen-agent/rotated');
    const client = server.client();
    const before = await client.request('GET', '/v1/whoami');

    client.updateCredentials({ certChainPem: svid.certChainPem, keyPem: svid.keyPem });
    const after = await client.request('GET', '/v1/whoami');

    expect(before.status).toBe(401);
    expect(after.body).toEqual({ spiffeId: 'spiffe://zen.mesh/zen-agent/rotated' });
  });

  it('throws transport_timeout when no response arrives in time', async () => {
    const client = server.client(undefined, undefined, { timeoutMs: 100 });

    expect(await codeOf(client.request('GET', '/v1/hang'))).toBe('transport_timeout');
  });
});
