import { readFileSync } from 'node:fs';

import type { AuditRecord } from '@zen/audit';
import { generateKeyAndCsr } from '@zen/ca';
import { enrollMacString, hmacHex } from '@zen/hmac';

import { statePaths } from '../lib/state-dir';
import { deriveTokenKey } from '../lib/token-service';
import { pemBlockDer } from '../lib/wire-schemas';
import { TestControlPlane, splitToken } from '../testing/harness';
import type { EnrollAttempt } from '../testing/harness';

type Body = EnrollAttempt['body'];

describe('enrollment denials', () => {
  let cp: TestControlPlane;
  let serverKey: Buffer;

  beforeAll(async () => {
    cp = await TestControlPlane.start();
    serverKey = serverKeyOf(cp);
  });

  afterAll(async () => {
    await cp.close();
  });

  function serverKeyOf(on: TestControlPlane): Buffer {
    return Buffer.from(
      readFileSync(statePaths(on.config.stateDir).serverKey, 'utf8').trim(),
      'hex',
    );
  }

  /** Re-signs a body with the key the server derives for its token id. */
  function resign(body: Body, signingKey = serverKey): Body {
    const key = deriveTokenKey(signingKey, body.token_id);
    const csrDer = pemBlockDer(body.csr);
    const mac = hmacHex(
      key,
      enrollMacString({
        tokenId: body.token_id,
        nonce: body.nonce,
        timestamp: body.timestamp,
        csrDer,
      }),
    );
    return { ...body, mac };
  }

  /** Sends the body and checks the client sees only 401 enrollment_denied, audit the reason. */
  async function expectDenied(
    body: Body,
    reason: string,
    on: TestControlPlane = cp,
  ): Promise<AuditRecord | undefined> {
    const res = await on
      .publicClient()
      .request<{ error: { code: string; message: string } }>('POST', '/v1/enroll', body);
    expect(res.status).toBe(401);
    expect(res.body.error).toEqual({ code: 'enrollment_denied', message: 'enrollment denied' });
    expect(res.headers['x-request-id']).toBeTruthy();
    const audit = await on.lastAudit('enrollment.denied');
    expect(audit).toMatchObject({ outcome: 'denied', reason });
    expect(audit?.evidence?.request_id).toBe(res.headers['x-request-id']);
    const metrics = await on.publicClient().request<string>('GET', '/metrics');
    expect(metrics.body).toContain(`zen_enrollments_total{outcome="denied",reason="${reason}"}`);

    return audit;
  }

  it('denies an unknown nonce (nonce_unknown)', async () => {
    const attempt = await cp.prepareEnroll(await cp.createToken('zen-agent', 'd1'));

    await expectDenied(resign({ ...attempt.body, nonce: 'ab'.repeat(32) }), 'nonce_unknown');
  });

  it('denies a nonce issued for another token (nonce_token_mismatch)', async () => {
    const a = await cp.prepareEnroll(await cp.createToken('zen-agent', 'd2a'));
    const other = splitToken(await cp.createToken('zen-agent', 'd2b')).tokenId;

    await expectDenied(resign({ ...a.body, token_id: other }), 'nonce_token_mismatch');
  });

  it('denies an expired nonce the store still keeps (nonce_expired)', async () => {
    const attempt = await cp.prepareEnroll(await cp.createToken('zen-agent', 'd3'));
    cp.clock.advanceSeconds(cp.config.nonceTtl + 1);
    const late = resign({
      ...attempt.body,
      timestamp: attempt.body.timestamp + cp.config.nonceTtl + 1,
    });

    await expectDenied(late, 'nonce_expired');
    await expectDenied(late, 'nonce_unknown');
  });

  it('denies a timestamp more than 300 s off (timestamp_skew)', async () => {
    const attempt = await cp.prepareEnroll(await cp.createToken('zen-agent', 'd4'));

    await expectDenied(
      resign({ ...attempt.body, timestamp: attempt.body.timestamp - 301 }),
      'timestamp_skew',
    );
  });

  it('denies a wrong MAC (mac_invalid)', async () => {
    const attempt = await cp.prepareEnroll(await cp.createToken('zen-agent', 'd5'));

    await expectDenied({ ...attempt.body, mac: '0'.repeat(64) }, 'mac_invalid');
  });

  it('denies a token id with a good MAC but no record (token_unknown)', async () => {
    const attempt = await cp.prepareEnroll(await cp.createToken('zen-agent', 'd6'));
    const challenge = await cp
      .publicClient()
      .request<{ nonce: string }>('POST', '/v1/enroll/challenge', {
        token_id: '0011223344556677',
      });

    await expectDenied(
      resign({ ...attempt.body, token_id: '0011223344556677', nonce: challenge.body.nonce }),
      'token_unknown',
    );
  });

  it('denies an expired token the store still keeps (token_expired)', async () => {
    const token = await cp.createToken('zen-agent', 'd7', 60);
    cp.clock.advanceSeconds(61);
    const attempt = await cp.prepareEnroll(token);

    const audit = await expectDenied(attempt.body, 'token_expired');

    expect(audit?.subject).toBe('spiffe://zen.mesh/zen-agent/d7');
  });

  it('denies a token after its enrollment was confirmed (token_used)', async () => {
    const token = await cp.createToken('zen-agent', 'd8');
    const first = await cp.enrollOrThrow(await cp.prepareEnroll(token));
    const confirm = await cp.identityClient(first).request('POST', '/v1/enroll/confirm', {
      enrollment_id: first.enrollmentId,
    });
    expect(confirm.status).toBe(200);

    await expectDenied((await cp.prepareEnroll(token)).body, 'token_used');
  });

  it('denies a CSR for another key while the token is pending (key_mismatch)', async () => {
    const token = await cp.createToken('zen-agent', 'd9');
    expect((await cp.sendEnroll(await cp.prepareEnroll(token))).res.status).toBe(201);

    await expectDenied((await cp.prepareEnroll(token)).body, 'key_mismatch');
  });

  it('burns the nonce, not the token, on a bad MAC; locks after five (token_locked)', async () => {
    const token = await cp.createToken('zen-agent', 'd10');
    const attempt = await cp.prepareEnroll(token);
    await expectDenied({ ...attempt.body, mac: '1'.repeat(64) }, 'mac_invalid');
    await expectDenied(attempt.body, 'nonce_unknown');
    for (let i = 0; i < 4; i++) {
      const next = await cp.prepareEnroll(token);
      await expectDenied({ ...next.body, mac: '2'.repeat(64) }, 'mac_invalid');
    }

    await expectDenied((await cp.prepareEnroll(token)).body, 'token_locked');
    expect(cp.logs.lines().some((l) => l.message === 'token locked')).toBe(true);
  });

  it('denies a token made before its SPIFFE ID was evicted (identity_evicted)', async () => {
    const token = await cp.createToken('zen-agent', 'd11');
    const evict = await cp.adminClient().request('POST', '/v1/admin/evict', {
      spiffe_id: 'spiffe://zen.mesh/zen-agent/d11',
    });
    expect(evict.status).toBe(200);
    cp.clock.advanceSeconds(1);

    await expectDenied((await cp.prepareEnroll(token)).body, 'identity_evicted');
  });

  it('refuses a replayed enroll request: its nonce is spent (nonce_unknown)', async () => {
    const attempt = await cp.prepareEnroll(await cp.createToken('zen-agent', 'd12'));
    expect((await cp.sendEnroll(attempt)).res.status).toBe(201);

    await expectDenied(attempt.body, 'nonce_unknown');
  });

  describe('past the store retention', () => {
    let short: TestControlPlane;
    let shortKey: Buffer;

    beforeAll(async () => {
      short = await TestControlPlane.start({ tokenRetention: 120, nonceRetention: 30 });
      shortKey = serverKeyOf(short);
    });

    afterAll(async () => {
      await short.close();
    });

    it('denies a token expired past its retention as unknown (token_unknown)', async () => {
      const token = await short.createToken('zen-agent', 'r1', 60);
      short.clock.advanceSeconds(60 + 119);
      const retained = await short.prepareEnroll(token);
      await expectDenied(retained.body, 'token_expired', short);
      short.clock.advanceSeconds(1);

      await expectDenied((await short.prepareEnroll(token)).body, 'token_unknown', short);
    });

    it('denies a nonce expired past its retention as unknown (nonce_unknown)', async () => {
      const token = await short.createToken('zen-agent', 'r2');
      const retained = await short.prepareEnroll(token);
      const gone = await short.prepareEnroll(token);
      const ttl = short.config.nonceTtl;
      short.clock.advanceSeconds(ttl + 29);
      const at = (attempt: EnrollAttempt) =>
        resign({ ...attempt.body, timestamp: attempt.body.timestamp + ttl + 30 }, shortKey);
      await expectDenied(at(retained), 'nonce_expired', short);
      short.clock.advanceSeconds(1);

      await expectDenied(at(gone), 'nonce_unknown', short);
    });
  });

  describe('csr_rejected', () => {
    async function attemptWithCsr(name: string, csrPem: string) {
      const token = await cp.createToken('zen-agent', name);
      const attempt = await cp.prepareEnroll(token, { csrPem, privateKeyPem: '' });
      return {
        token,
        res: await cp
          .publicClient()
          .request<{ error: { code: string; message: string } }>(
            'POST',
            '/v1/enroll',
            attempt.body,
          ),
      };
    }

    it.each([
      [
        'a URI SAN for another identity',
        'csr_uri_san_mismatch',
        () => generateKeyAndCsr({ uriSans: ['spiffe://zen.mesh/zen-agent/other'] }).csrPem,
      ],
      ['a P-521 key', 'csr_key_not_allowed', () => generateKeyAndCsr({ keyType: 'P-521' }).csrPem],
      [
        'an RSA key under 2048 bits',
        'csr_key_not_allowed',
        () => generateKeyAndCsr({ keyType: 'RSA-1024' }).csrPem,
      ],
      [
        'a broken signature',
        'csr_signature_invalid',
        () => corruptSignature(generateKeyAndCsr().csrPem),
      ],
      [
        'DER that is not a CSR',
        'csr_malformed',
        () => '-----BEGIN CERTIFICATE REQUEST-----\nMAMCAQA=\n-----END CERTIFICATE REQUEST-----\n',
      ],
    ])('refuses %s with 400 csr_rejected naming the reason', async (_name, reason, makeCsr) => {
      const { token, res } = await attemptWithCsr(
        `csr-${reason}-${Math.random().toString(16).slice(2, 8)}`,
        makeCsr(),
      );

      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('csr_rejected');
      expect(res.body.error.message).toMatch(/^csr rejected: .+/);
      expect(await cp.lastAudit('enrollment.denied')).toMatchObject({ reason });
      expect((await cp.sendEnroll(await cp.prepareEnroll(token))).res.status).toBe(201);
    });
  });
});

function corruptSignature(csrPem: string): string {
  const der = pemBlockDer(csrPem);
  der[der.length - 1] ^= 0x01;
  const body = der.toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN CERTIFICATE REQUEST-----\n${body}\n-----END CERTIFICATE REQUEST-----\n`;
}
