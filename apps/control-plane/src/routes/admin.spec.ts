import { verifyAuditRecords } from '@zen/audit';
import type { AuditRecord } from '@zen/audit';

import { TestControlPlane } from '../testing/harness';

type ErrorBody = { error: { code: string } };

describe('admin API', () => {
  let cp: TestControlPlane;
  const ADMIN = 'spiffe://zen.mesh/admin/operator';

  beforeAll(async () => {
    cp = await TestControlPlane.start();
  });

  afterAll(async () => {
    await cp.close();
  });

  it('creates a token bound to one SPIFFE ID with the default 1 h TTL, audited', async () => {
    const res = await cp.adminClient().request<Record<string, string>>('POST', '/v1/admin/tokens', {
      component: 'egress',
      name: 'eg-1',
    });

    expect(res.status).toBe(201);
    expect(res.body.token).toMatch(/^zen1\.[0-9a-f]{16}\.[0-9a-f]{64}$/);
    expect(res.body.token.split('.')[1]).toBe(res.body.token_id);
    expect(res.body.spiffe_id).toBe('spiffe://zen.mesh/egress/eg-1');
    expect(Date.parse(res.body.expires_at) - cp.clock.nowMs()).toBeGreaterThan(3590_000);
    expect(Date.parse(res.body.expires_at) - cp.clock.nowMs()).toBeLessThanOrEqual(3600_000);
    expect(await cp.lastAudit('token.created')).toMatchObject({
      actor: ADMIN,
      subject: 'spiffe://zen.mesh/egress/eg-1',
      evidence: expect.objectContaining({ token_id: res.body.token_id }),
    });
  });

  it.each([
    ['a TTL over 24 h', { component: 'zen-agent', name: 'x', ttl_seconds: 86401 }],
    ['an unknown component', { component: 'admin', name: 'x' }],
    ['a name with a slash', { component: 'zen-agent', name: 'a/b' }],
  ])('refuses %s with 400', async (_name, body) => {
    const res = await cp.adminClient().request<ErrorBody>('POST', '/v1/admin/tokens', body);

    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
  });

  it('refuses a component SVID on the admin API with 403 and audits the attempt', async () => {
    const agent = await cp.enrollActive('zen-agent', 'not-admin');

    const res = await cp
      .identityClient(agent, { signed: false })
      .request<ErrorBody>('GET', '/v1/admin/enrollments');

    expect(res.status).toBe(403);
    expect(await cp.lastAudit('admin.denied')).toMatchObject({
      actor: agent.spiffeId,
      reason: 'not_admin',
    });
  });

  it('refuses the admin API without a client certificate with 401', async () => {
    const res = await cp.publicClient().request<ErrorBody>('GET', '/v1/admin/ca');

    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthenticated');
  });

  it('lists enrollments with their state, evicts, and audits both calls', async () => {
    const active = await cp.enrollActive('zen-agent', 'listed');
    await cp.enrollPending('zen-agent', 'waiting');
    const admin = cp.adminClient();

    const evict = await admin.request<Record<string, unknown>>('POST', '/v1/admin/evict', {
      spiffe_id: active.spiffeId,
    });
    cp.clock.advanceSeconds(1);
    const list = await admin.request<{ enrollments: Record<string, unknown>[] }>(
      'GET',
      '/v1/admin/enrollments',
    );

    expect(evict.status).toBe(200);
    expect(evict.body.spiffe_id).toBe(active.spiffeId);
    const byId = new Map(list.body.enrollments.map((e) => [e.spiffe_id, e.status]));
    expect(byId.get(active.spiffeId)).toBe('evicted');
    expect(byId.get('spiffe://zen.mesh/zen-agent/waiting')).toBe('pending');
    expect(await cp.lastAudit('identity.evicted')).toMatchObject({
      actor: ADMIN,
      subject: active.spiffeId,
    });
    expect(await cp.lastAudit('admin.enrollments_listed')).toMatchObject({
      actor: ADMIN,
      outcome: 'success',
    });
  });

  it.each([
    ['another trust domain', 'spiffe://other.td/zen-agent/a'],
    ['a malformed SPIFFE ID', 'spiffe://zen.mesh/zen-agent/../a'],
    ['something that is no SPIFFE ID', 'zen-agent/a'],
  ])('refuses to evict %s with 400 and records nothing', async (_name, spiffeId) => {
    const admin = cp.adminClient();
    const before = await cp.lastAudit('identity.evicted');

    const res = await admin.request<ErrorBody>('POST', '/v1/admin/evict', { spiffe_id: spiffeId });

    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(await cp.lastAudit('identity.evicted')).toEqual(before);
  });

  it('rotates the CA on request: a new generation is active, the sequence grows', async () => {
    const admin = cp.adminClient();
    const before = await admin.request<{
      bundle_sequence: number;
      generations: { id: string; state: string }[];
    }>('GET', '/v1/admin/ca');

    const rotate = await admin.request<{ transitions: { kind: string }[] }>(
      'POST',
      '/v1/admin/ca/rotate',
    );
    const after = await admin.request<{
      bundle_sequence: number;
      generations: { id: string; state: string }[];
    }>('GET', '/v1/admin/ca');

    expect(rotate.status).toBe(200);
    expect(rotate.body.transitions.map((t) => t.kind)).toContain('activated');
    expect(after.body.bundle_sequence).toBeGreaterThan(before.body.bundle_sequence);
    const activeBefore = before.body.generations.find((g) => g.state === 'active')?.id;
    const activeAfter = after.body.generations.find((g) => g.state === 'active')?.id;
    expect(activeAfter).not.toBe(activeBefore);
    expect(await cp.lastAudit('ca.key_activated')).toMatchObject({ actor: ADMIN });
    const fresh = await cp.enrollActive('zen-agent', 'after-rotation');
    expect(fresh.spiffeId).toBe('spiffe://zen.mesh/zen-agent/after-rotation');
  });

  it('pages the audit trail, records the read after the page, and the chain verifies', async () => {
    const admin = cp.adminClient();
    const key = await admin.request<{ public_key_pem: string }>('GET', '/v1/admin/audit/key');

    const page1 = await admin.request<{ records: AuditRecord[]; next_after: number | null }>(
      'GET',
      '/v1/admin/audit?after=0&limit=5',
    );
    const page2 = await admin.request<{ records: AuditRecord[] }>(
      `GET`,
      `/v1/admin/audit?after=${page1.body.next_after}&limit=1000`,
    );

    expect(page1.body.records.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(page2.body.records[0].seq).toBe(6);
    const all = [...page1.body.records, ...page2.body.records];
    expect(all.some((r) => r.type === 'admin.audit_read')).toBe(true);
    expect(verifyAuditRecords(all, key.body.public_key_pem)).toMatchObject({ ok: true });
    const last = await cp.lastAudit('admin.audit_read');
    expect(last?.evidence).toMatchObject({ after: Number(page1.body.next_after) });
  });
});
