import { X509Certificate } from 'node:crypto';

import { bundleMacString, hmacHex, sha256hex } from '@zen/hmac';

import { TestControlPlane, splitToken } from '../testing/harness';

describe('enrollment endpoints', () => {
  let cp: TestControlPlane;

  beforeAll(async () => {
    cp = await TestControlPlane.start();
  });

  afterAll(async () => {
    await cp.close();
  });

  describe('GET /v1/enroll/bundle', () => {
    it('answers a bundle whose MAC verifies with the token key', async () => {
      const token = await cp.createToken('zen-agent', 'bootstrap');
      const { tokenId, secret } = splitToken(token);

      const res = await cp
        .publicClient()
        .request<Record<string, unknown>>('GET', `/v1/enroll/bundle?token_id=${tokenId}`);

      expect(res.status).toBe(200);
      expect(res.body.trust_domain).toBe('zen.mesh');
      expect(res.body.bundle_pem).toBe(cp.bundlePem());
      const bundlePem = String(res.body.bundle_pem);
      expect(res.body.mac).toBe(hmacHex(secret, bundleMacString({ tokenId, bundlePem })));
      expect(res.body.mac).toBe(
        hmacHex(secret, `zen-bundle-v1\n${tokenId}\n${sha256hex(bundlePem)}`),
      );
    });

    it('answers an unknown token id in the same shape, with a MAC no guess verifies', async () => {
      const { tokenId } = splitToken(await cp.createToken('zen-agent', 'k'));
      const known = await cp
        .publicClient()
        .request<Record<string, unknown>>('GET', `/v1/enroll/bundle?token_id=${tokenId}`);

      const unknown = await cp
        .publicClient()
        .request<Record<string, unknown>>('GET', '/v1/enroll/bundle?token_id=00112233aabbccdd');

      expect(unknown.status).toBe(known.status);
      expect(Object.keys(unknown.body).sort()).toEqual(Object.keys(known.body).sort());
      expect(unknown.body.bundle_pem).toBe(known.body.bundle_pem);
      expect(String(unknown.body.mac)).toMatch(/^[0-9a-f]{64}$/);
      expect(unknown.headers['content-type']).toBe(known.headers['content-type']);
    });

    it('refuses a malformed token id with 400', async () => {
      const res = await cp
        .publicClient()
        .request<{ error: { code: string } }>('GET', '/v1/enroll/bundle?token_id=xyz');

      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    });
  });

  describe('POST /v1/enroll/challenge', () => {
    it('gives a 32-byte nonce for an unknown token id, counted but not audited', async () => {
      const before = (await cp.auditRecords()).length;

      const res = await cp
        .publicClient()
        .request<Record<string, unknown>>('POST', '/v1/enroll/challenge', {
          token_id: 'ffeeddccbbaa9988',
        });

      expect(res.status).toBe(200);
      expect(String(res.body.nonce)).toMatch(/^[0-9a-f]{64}$/);
      expect(Date.parse(String(res.body.expires_at))).toBeGreaterThan(cp.clock.nowMs());
      expect((await cp.auditRecords()).length).toBe(before);
      const metrics = await cp.publicClient().request<string>('GET', '/metrics');
      expect(metrics.body).toMatch(/zen_enrollment_challenges_total [1-9]/);
    });
  });

  describe('POST /v1/enroll', () => {
    it('answers 201 with every field of the enrollment bundle', async () => {
      const token = await cp.createToken('zen-agent', 'fields');
      const attempt = await cp.prepareEnroll(token);

      const { res, identity } = await cp.sendEnroll(attempt);

      expect(res.status).toBe(201);
      expect(Object.keys(res.body).sort()).toEqual(
        [
          'bundle_pem',
          'bundle_sequence',
          'enrollment_id',
          'expires_at',
          'hmac_key',
          'hmac_key_id',
          'renew_after',
          'spiffe_id',
          'svid_pem',
        ].sort(),
      );
      expect(identity?.spiffeId).toBe('spiffe://zen.mesh/zen-agent/fields');
      expect(String(res.body.hmac_key)).toMatch(/^[0-9a-f]{64}$/);
      const leaf = new X509Certificate(String(res.body.svid_pem));
      expect(leaf.subjectAltName).toBe('URI:spiffe://zen.mesh/zen-agent/fields');
      expect(Date.parse(String(res.body.renew_after))).toBeLessThan(
        Date.parse(String(res.body.expires_at)),
      );
      const audit = await cp.lastAudit('enrollment.accepted');
      expect(audit).toMatchObject({
        outcome: 'success',
        subject: 'spiffe://zen.mesh/zen-agent/fields',
      });
    });

    it.each([
      ['a missing field', (b: Record<string, unknown>) => ({ ...b, mac: undefined })],
      ['a non-integer timestamp', (b: Record<string, unknown>) => ({ ...b, timestamp: 'now' })],
      ['a short nonce', (b: Record<string, unknown>) => ({ ...b, nonce: 'abcd' })],
      ['a certificate instead of a CSR', (b: Record<string, unknown>) => ({ ...b, csr: CERT_PEM })],
      [
        'two CSR blocks',
        (b: Record<string, unknown>) => ({ ...b, csr: String(b.csr) + String(b.csr) }),
      ],
    ])('refuses %s with 400 invalid_request and keeps the nonce', async (_name, change) => {
      const token = await cp.createToken('zen-agent', 'shape');
      const attempt = await cp.prepareEnroll(token);

      const bad = await cp
        .publicClient()
        .request<{ error: { code: string } }>('POST', '/v1/enroll', change(attempt.body));
      const good = await cp.sendEnroll(attempt);

      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('invalid_request');
      expect(good.res.status).toBe(201);
    });

    it('refuses a body over 64 KiB with 413 payload_too_large', async () => {
      const res = await cp
        .publicClient()
        .request<{ error: { code: string } }>('POST', '/v1/enroll', {
          padding: 'x'.repeat(70 * 1024),
        });

      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe('payload_too_large');
    });
  });
});

const CERT_PEM = '-----BEGIN CERTIFICATE-----\nAAEC\n-----END CERTIFICATE-----\n';
