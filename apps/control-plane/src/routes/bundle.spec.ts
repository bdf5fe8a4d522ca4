import { X509Certificate } from 'node:crypto';

import { TestControlPlane } from '../testing/harness';

describe('GET /v1/bundle', () => {
  let cp: TestControlPlane;

  beforeAll(async () => {
    cp = await TestControlPlane.start();
  });

  afterAll(async () => {
    await cp.close();
  });

  it('answers the SPIFFE bundle JSON with one x509-svid key per root', async () => {
    const res = await cp.publicClient().request<{
      keys: { use: string; x5c: string[] }[];
      spiffe_sequence: number;
      spiffe_refresh_hint: number;
    }>('GET', '/v1/bundle');

    expect(res.status).toBe(200);
    expect(res.body.keys).toHaveLength(1);
    expect(res.body.keys[0].use).toBe('x509-svid');
    const root = new X509Certificate(Buffer.from(res.body.keys[0].x5c[0], 'base64'));
    expect(cp.bundlePem()).toContain(root.toString().split('\n')[1]);
    expect(Number.isInteger(res.body.spiffe_sequence)).toBe(true);
  });

  it('answers the roots as PEM with ?format=pem', async () => {
    const res = await cp.publicClient().request<string>('GET', '/v1/bundle?format=pem');

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-pem-file/);
    expect(res.body).toBe(cp.bundlePem());
  });

  it('refuses an unknown format with 400', async () => {
    const res = await cp
      .publicClient()
      .request<{ error: { code: string } }>('GET', '/v1/bundle?format=der');

    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
  });
});
