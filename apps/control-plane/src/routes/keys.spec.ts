import { TestControlPlane } from '../testing/harness';
import type { EnrolledIdentity } from '../testing/harness';

type ErrorBody = { error: { code: string } };

describe('verifier keys and evictions', () => {
  let cp: TestControlPlane;
  let agent: EnrolledIdentity;
  let ingester: EnrolledIdentity;

  beforeAll(async () => {
    cp = await TestControlPlane.start();
    agent = await cp.enrollActive('zen-agent', 'node-1');
    ingester = await cp.enrollActive('ingester', 'in-1');
  });

  afterAll(async () => {
    await cp.close();
  });

  it('gives an ingester the HMAC key of an active identity, and audits the lookup', async () => {
    const res = await cp
      .identityClient(ingester)
      .request<Record<string, unknown>>('GET', `/v1/keys/${agent.hmacKeyId}`);

    expect(res.status).toBe(200);
    expect(res.body.spiffe_id).toBe(agent.spiffeId);
    expect(res.body.hmac_key).toBe(agent.hmacKey.toString('hex'));
    expect(Date.parse(String(res.body.expires_at))).toBeGreaterThan(cp.clock.nowMs());
    expect(await cp.lastAudit('keys.lookup')).toMatchObject({
      actor: ingester.spiffeId,
      subject: agent.spiffeId,
      outcome: 'success',
      evidence: expect.objectContaining({ hmac_key_id: agent.hmacKeyId }),
    });
  });

  it('refuses a caller that is not an ingester or egress with 403, before the id', async () => {
    const known = await cp
      .identityClient(agent)
      .request<ErrorBody>('GET', `/v1/keys/${ingester.hmacKeyId}`);
    const junk = await cp
      .identityClient(agent)
      .request<ErrorBody>('GET', '/v1/keys/does-not-matter');
    const evictions = await cp.identityClient(agent).request<ErrorBody>('GET', '/v1/evictions');

    expect([known.status, known.body.error.code]).toEqual([403, 'forbidden']);
    expect([junk.status, junk.body.error.code]).toEqual([403, 'forbidden']);
    expect([evictions.status, evictions.body.error.code]).toEqual([403, 'forbidden']);
    expect(await cp.lastAudit('keys.lookup')).toMatchObject({
      outcome: 'denied',
      reason: 'not_a_verifier',
    });
  });

  it('refuses an unconfirmed verifier with 403', async () => {
    const pending = await cp.enrollPending('egress', 'eg-pending');

    const res = await cp
      .identityClient(pending)
      .request<ErrorBody>('GET', `/v1/keys/${agent.hmacKeyId}`);

    expect(res.status).toBe(403);
  });

  it('answers 404 for an unknown key id and for the key of an unconfirmed identity', async () => {
    const pending = await cp.enrollPending('zen-agent', 'not-yet');

    const unknown = await cp
      .identityClient(ingester)
      .request<ErrorBody>('GET', `/v1/keys/${'0'.repeat(32)}`);
    const inactive = await cp
      .identityClient(ingester)
      .request<ErrorBody>('GET', `/v1/keys/${pending.hmacKeyId}`);

    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'not_found']);
    expect([inactive.status, inactive.body.error.code]).toEqual([404, 'not_found']);
  });

  it('lists evictions for verifiers and stops serving the evicted key', async () => {
    const victim = await cp.enrollActive('zen-agent', 'victim');
    await cp.adminClient().request('POST', '/v1/admin/evict', { spiffe_id: victim.spiffeId });

    const list = await cp
      .identityClient(ingester)
      .request<{ evictions: Record<string, unknown>[] }>('GET', '/v1/evictions');
    const key = await cp.identityClient(ingester).request('GET', `/v1/keys/${victim.hmacKeyId}`);

    expect(list.status).toBe(200);
    const entry = list.body.evictions.find((e) => e.spiffe_id === victim.spiffeId);
    expect(entry?.serials).toEqual([expect.stringMatching(/^[0-9a-f]+$/)]);
    expect(key.status).toBe(404);
  });
});
