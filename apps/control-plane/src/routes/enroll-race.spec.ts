import { generateKeyAndCsr } from '@zen/ca';

import { TestControlPlane } from '../testing/harness';

describe('enrollment races and retries', () => {
  let cp: TestControlPlane;

  beforeAll(async () => {
    cp = await TestControlPlane.start();
  });

  afterAll(async () => {
    await cp.close();
  });

  it('answers one 201 to 50 concurrent enrollments with one token and different keys', async () => {
    const token = await cp.createToken('zen-agent', 'raced');
    const attempts = await Promise.all(Array.from({ length: 50 }, () => cp.prepareEnroll(token)));

    const results = await Promise.all(attempts.map((a) => cp.sendEnroll(a)));

    const statuses = results.map((r) => r.res.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 401)).toHaveLength(49);
    const denied = (await cp.auditRecords()).filter((r) => r.type === 'enrollment.denied');
    expect(new Set(denied.map((r) => r.reason))).toEqual(new Set(['key_mismatch']));
    expect(
      (await cp.store.listEnrollments()).filter((e) => e.spiffeId.endsWith('/raced')),
    ).toHaveLength(1);
  });

  it('answers the same enrollment to a retry with the same key while pending', async () => {
    const token = await cp.createToken('zen-agent', 'retry');
    const key = generateKeyAndCsr();
    const first = await cp.sendEnroll(await cp.prepareEnroll(token, key));

    const again = await cp.sendEnroll(await cp.prepareEnroll(token, key));

    expect(first.res.status).toBe(201);
    expect(again.res.status).toBe(201);
    for (const field of ['enrollment_id', 'spiffe_id', 'hmac_key_id', 'hmac_key']) {
      expect(again.res.body[field]).toBe(first.res.body[field]);
    }
    expect(again.res.body.svid_pem).not.toBe(first.res.body.svid_pem);
    expect(await cp.lastAudit('enrollment.accepted')).toMatchObject({
      evidence: expect.objectContaining({ resumed: true }),
    });
  });

  it('answers the same enrollment to 10 concurrent retries with one key', async () => {
    const token = await cp.createToken('zen-agent', 'same-key');
    const key = generateKeyAndCsr();
    const attempts = await Promise.all(
      Array.from({ length: 10 }, () => cp.prepareEnroll(token, key)),
    );

    const results = await Promise.all(attempts.map((a) => cp.sendEnroll(a)));

    expect(results.map((r) => r.res.status)).toEqual(Array(10).fill(201));
    expect(new Set(results.map((r) => r.res.body.enrollment_id)).size).toBe(1);
  });

  it('denies a retry once the enrollment is confirmed', async () => {
    const token = await cp.createToken('zen-agent', 'retry-late');
    const key = generateKeyAndCsr();
    const first = await cp.enrollOrThrow(await cp.prepareEnroll(token, key));
    await cp.identityClient(first).request('POST', '/v1/enroll/confirm', {
      enrollment_id: first.enrollmentId,
    });

    const again = await cp.sendEnroll(await cp.prepareEnroll(token, key));

    expect(again.res.status).toBe(401);
    expect(await cp.lastAudit('enrollment.denied')).toMatchObject({ reason: 'token_used' });
  });

  it('denies a retry after the confirm window closed, and refuses the late confirm', async () => {
    const token = await cp.createToken('zen-agent', 'retry-void');
    const key = generateKeyAndCsr();
    const first = await cp.enrollOrThrow(await cp.prepareEnroll(token, key));
    cp.clock.advanceSeconds(cp.config.confirmWindow + 1);

    const again = await cp.sendEnroll(await cp.prepareEnroll(token, key));
    const confirm = await cp
      .identityClient(first)
      .request<{ error: { code: string } }>('POST', '/v1/enroll/confirm', {
        enrollment_id: first.enrollmentId,
      });

    expect(again.res.status).toBe(401);
    expect(confirm.status).toBe(403);
    expect(confirm.body.error.code).toBe('forbidden');
    expect(await cp.lastAudit('enrollment.confirm_denied')).toMatchObject({
      reason: 'confirm_window_expired',
    });
  });
});
