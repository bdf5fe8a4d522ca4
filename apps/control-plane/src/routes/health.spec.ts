import { FakeClock } from '@zen/config/testing';

import { makeFlakyStore } from '../testing/flaky-store';
import { TestControlPlane } from '../testing/harness';

describe('health, readiness and metrics', () => {
  let cp: TestControlPlane;
  let flaky: ReturnType<typeof makeFlakyStore>;

  beforeAll(async () => {
    const clock = new FakeClock(Date.now());
    flaky = makeFlakyStore(() => clock.nowMs());
    cp = await TestControlPlane.start({}, { store: flaky.store });
  });

  afterAll(async () => {
    flaky.setDown(false);
    await cp.close();
  });

  it('answers /healthz and /readyz', async () => {
    const health = await cp.publicClient().request('GET', '/healthz');
    const ready = await cp.publicClient().request('GET', '/readyz');

    expect([health.status, health.body]).toEqual([200, { status: 'ok' }]);
    expect([ready.status, ready.body]).toEqual([200, { status: 'ready' }]);
  });

  it('exposes the metrics of its own registry', async () => {
    await cp.enrollActive('zen-agent', 'metrics');

    const res = await cp.publicClient().request<string>('GET', '/metrics');

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    for (const name of [
      'zen_enrollments_total{outcome="accepted",reason="none"} 1',
      'zen_svid_issuance_seconds_bucket',
      'zen_ca_generation_state{generation=',
      'zen_trust_bundle_sequence',
      'zen_svids_expiring{within="1h"} 1',
      'zen_enrollment_challenges_total 1',
    ]) {
      expect(res.body).toContain(name);
    }
  });

  it('answers 503 while the store is down, stays up, and recovers on its own', async () => {
    const token = await cp.createToken('zen-agent', 'outage');
    flaky.setDown(true);

    const ready = await cp.publicClient().request<{ error: { code: string } }>('GET', '/readyz');
    const challenge = await cp
      .publicClient()
      .request<{ error: { code: string } }>('POST', '/v1/enroll/challenge', {
        token_id: token.split('.')[1],
      });
    flaky.setDown(false);
    const after = await cp.publicClient().request('GET', '/readyz');

    expect([ready.status, ready.body.error.code]).toEqual([503, 'unavailable']);
    expect([challenge.status, challenge.body.error.code]).toEqual([503, 'unavailable']);
    expect(after.status).toBe(200);
  });
});
