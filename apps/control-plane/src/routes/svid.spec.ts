import { X509Certificate } from 'node:crypto';

import { generateKeyAndCsr } from '@zen/ca';
import { hmacHex, recoverMacString } from '@zen/hmac';
import { parsePemCertificates } from '@zen/identity';
import { ZenHttpClient } from '@zen/transport';

import { pemBlockDer } from '../lib/wire-schemas';
import { TestControlPlane } from '../testing/harness';
import type { EnrolledIdentity } from '../testing/harness';

type ErrorBody = { error: { code: string; message: string } };

describe('SVID renewal and recovery', () => {
  let cp: TestControlPlane;

  beforeAll(async () => {
    cp = await TestControlPlane.start();
  });

  afterAll(async () => {
    await cp.close();
  });

  function recoverBody(identity: EnrolledIdentity, csrPem: string, timestamp?: number) {
    const ts = timestamp ?? Math.floor(cp.clock.nowMs() / 1000);
    const leaf = parsePemCertificates(identity.svidPem)[0];
    const mac = hmacHex(
      identity.hmacKey,
      recoverMacString({
        spiffeId: identity.spiffeId,
        timestamp: ts,
        expiredLeafDer: leaf,
        csrDer: pemBlockDer(csrPem),
      }),
    );
    return {
      spiffe_id: identity.spiffeId,
      expired_svid_pem: identity.svidPem,
      csr: csrPem,
      timestamp: ts,
      mac,
    };
  }

  it('runs the happy path: enroll, confirm, renew with a new key, recover', async () => {
    const token = await cp.createToken('zen-agent', 'happy');
    const key = generateKeyAndCsr();
    const identity = await cp.enrollOrThrow(await cp.prepareEnroll(token, key));

    const confirm = await cp.identityClient(identity).request('POST', '/v1/enroll/confirm', {
      enrollment_id: identity.enrollmentId,
    });
    const next = generateKeyAndCsr();
    const renew = await cp
      .identityClient(identity)
      .request<Record<string, unknown>>('POST', '/v1/svid/renew', {
        csr: next.csrPem,
      });

    expect(confirm.status).toBe(200);
    expect(confirm.body).toEqual({ status: 'active' });
    expect(renew.status).toBe(200);
    expect(Object.keys(renew.body).sort()).toEqual(
      ['bundle_pem', 'bundle_sequence', 'expires_at', 'renew_after', 'svid_pem'].sort(),
    );
    const renewed = new X509Certificate(String(renew.body.svid_pem));
    expect(renewed.subjectAltName).toBe('URI:spiffe://zen.mesh/zen-agent/happy');
    expect(
      renewed.publicKey.export({ type: 'spki', format: 'der' }).equals(next.publicKeySpki),
    ).toBe(true);
    expect(await cp.lastAudit('svid.renewed')).toMatchObject({
      outcome: 'success',
      actor: identity.spiffeId,
    });

    cp.clock.advanceSeconds(cp.config.svidTtl + 120);
    const recover = await cp
      .publicClient()
      .request<Record<string, unknown>>(
        'POST',
        '/v1/svid/recover',
        recoverBody(identity, key.csrPem),
      );

    expect(recover.status).toBe(200);
    expect(new X509Certificate(String(recover.body.svid_pem)).subjectAltName).toBe(
      'URI:spiffe://zen.mesh/zen-agent/happy',
    );
    expect(await cp.lastAudit('svid.recovered')).toMatchObject({
      outcome: 'success',
      subject: identity.spiffeId,
    });
  });

  it('refuses recovery with a wrong MAC, a replay, another key, or after the window', async () => {
    const token = await cp.createToken('zen-agent', 'recover-rules');
    const key = generateKeyAndCsr();
    const identity = await cp.enrollOrThrow(await cp.prepareEnroll(token, key));
    await cp
      .identityClient(identity)
      .request('POST', '/v1/enroll/confirm', { enrollment_id: identity.enrollmentId });
    cp.clock.advanceSeconds(cp.config.svidTtl + 60);
    const client = cp.publicClient();

    const good = recoverBody(identity, key.csrPem);
    const badMac = await client.request<ErrorBody>('POST', '/v1/svid/recover', {
      ...good,
      mac: 'f'.repeat(64),
    });
    const first = await client.request('POST', '/v1/svid/recover', good);
    const replay = await client.request<ErrorBody>('POST', '/v1/svid/recover', good);
    const otherKey = await client.request<ErrorBody>(
      'POST',
      '/v1/svid/recover',
      recoverBody(identity, generateKeyAndCsr().csrPem),
    );
    cp.clock.advanceSeconds(cp.config.recoveryWindow);
    const late = await client.request<ErrorBody>(
      'POST',
      '/v1/svid/recover',
      recoverBody(identity, key.csrPem),
    );

    expect([badMac.status, badMac.body.error.code]).toEqual([401, 'signature_invalid']);
    expect(first.status).toBe(200);
    expect([replay.status, replay.body.error.code]).toEqual([401, 'replay']);
    expect([otherKey.status, otherKey.body.error.code]).toEqual([400, 'csr_rejected']);
    expect([late.status, late.body.error.code]).toEqual([401, 'unauthenticated']);
    expect(await cp.lastAudit('svid.recovery_denied')).toMatchObject({
      reason: 'recovery_window_passed',
    });
  });

  it('refuses renewal of an unconfirmed identity with 403 forbidden', async () => {
    const identity = await cp.enrollPending('zen-agent', 'unconfirmed');

    const res = await cp.identityClient(identity).request<ErrorBody>('POST', '/v1/svid/renew', {
      csr: generateKeyAndCsr().csrPem,
    });

    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
    expect(await cp.lastAudit('svid.renewal_denied')).toMatchObject({
      reason: 'identity_unconfirmed',
    });
  });

  it('refuses renewal of an evicted identity with 403 forbidden', async () => {
    const identity = await cp.enrollActive('zen-agent', 'evicted');
    await cp.adminClient().request('POST', '/v1/admin/evict', { spiffe_id: identity.spiffeId });

    const res = await cp.identityClient(identity).request<ErrorBody>('POST', '/v1/svid/renew', {
      csr: generateKeyAndCsr().csrPem,
    });

    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
  });

  it('refuses a renewal CSR naming another identity with 400 csr_rejected', async () => {
    const identity = await cp.enrollActive('zen-agent', 'renew-san');

    const res = await cp.identityClient(identity).request<ErrorBody>('POST', '/v1/svid/renew', {
      csr: generateKeyAndCsr({ uriSans: ['spiffe://zen.mesh/zen-agent/someone-else'] }).csrPem,
    });

    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('csr_rejected');
  });

  it('refuses a replayed signed request with 401 replay', async () => {
    const identity = await cp.enrollActive('zen-agent', 'replayed');
    const fixed = { bytes: (n: number) => Buffer.alloc(n, 9) };
    const client = new ZenHttpClient({
      baseUrl: cp.url,
      caPem: cp.bundlePem(),
      certChainPem: identity.svidPem,
      keyPem: identity.keyPem,
      signing: { hmacKeyId: identity.hmacKeyId, hmacKey: identity.hmacKey },
      clock: cp.clock,
      random: fixed,
    });
    const body = { csr: generateKeyAndCsr().csrPem };

    const first = await client.request('POST', '/v1/svid/renew', body);
    const second = await client.request<ErrorBody>('POST', '/v1/svid/renew', body);
    client.close();

    expect(first.status).toBe(200);
    expect(second.status).toBe(401);
    expect(second.body.error.code).toBe('replay');
  });

  it('refuses requests without client certificate or signature, or with another key', async () => {
    const a = await cp.enrollActive('zen-agent', 'who-a');
    const b = await cp.enrollActive('zen-agent', 'who-b');
    const csr = generateKeyAndCsr().csrPem;

    const noCert = await cp.publicClient().request<ErrorBody>('POST', '/v1/svid/renew', { csr });
    const unsigned = await cp
      .identityClient(a, { signed: false })
      .request<ErrorBody>('POST', '/v1/svid/renew', { csr });
    const mixed = await cp
      .identityClient({ ...a, hmacKeyId: b.hmacKeyId, hmacKey: b.hmacKey })
      .request<ErrorBody>('POST', '/v1/svid/renew', { csr });

    expect([noCert.status, noCert.body.error.code]).toEqual([401, 'unauthenticated']);
    expect([unsigned.status, unsigned.body.error.code]).toEqual([401, 'signature_invalid']);
    expect([mixed.status, mixed.body.error.code]).toEqual([401, 'identity_mismatch']);
  });
});
