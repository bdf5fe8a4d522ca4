import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import { bundleMacString, enrollMacString, hmacHex, verifyHmacHex } from '@zen/hmac';

import { EnrollmentClient, fetchBootstrapBundle, parseJoinToken } from './enrollment-client';
import type { JoinToken } from './enrollment-client';
import { makeTestPki } from './testing/test-pki';
import type { TestPki } from './testing/test-pki';
import { startTestMtlsServer } from './testing/test-server';
import type { TestMtlsServer } from './testing/test-server';

const TOKEN_ID = '0123456789abcdef';
const SECRET = 'ab'.repeat(32);
const TOKEN = `zen1.${TOKEN_ID}.${SECRET}`;
const CSR_DER = randomBytes(200);
const CSR_PEM = [
  '-----BEGIN CERTIFICATE REQUEST-----',
  CSR_DER.toString('base64'),
  '-----END CERTIFICATE REQUEST-----',
  '',
].join('\n');

// A fake control plane that checks every MAC of PROTOCOL.md with the token key it knows.
function fakeControlPlane(pki: TestPki, key: Buffer) {
  const nonce = randomBytes(32).toString('hex');
  const hmacKey = randomBytes(32).toString('hex');

  return (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const url = new URL(req.url ?? '/', 'https://x');
      const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
      if (url.pathname === '/v1/enroll/bundle') {
        const tokenId = String(url.searchParams.get('token_id'));
        const mac = hmacHex(key, bundleMacString({ tokenId, bundlePem: pki.rootPem }));
        return send(200, { trust_domain: 'zen.mesh', bundle_pem: pki.rootPem, sequence: 3, mac });
      }
      if (url.pathname === '/v1/enroll/challenge') return send(200, { nonce, expires_at: 'x' });
      const expected = enrollMacString({
        tokenId: body.token_id,
        nonce: body.nonce,
        timestamp: body.timestamp,
        csrDer: CSR_DER,
      });
      if (body.nonce !== nonce || !verifyHmacHex(key, expected, body.mac)) {
        return send(401, { error: { code: 'enrollment_denied', message: 'enrollment denied' } });
      }
      return send(201, {
        enrollment_id: 'e1',
        spiffe_id: 'spiffe://zen.mesh/zen-agent/a',
        svid_pem: 'svid',
        bundle_pem: pki.rootPem,
        bundle_sequence: 3,
        expires_at: 't1',
        renew_after: 't0',
        hmac_key_id: 'k1',
        hmac_key: hmacKey,
      });
    });
  };
}

describe('parseJoinToken', () => {
  it('splits a token into its id and 32 key bytes', () => {
    const token = parseJoinToken(TOKEN);

    expect(token.tokenId).toBe(TOKEN_ID);
    expect(token.key.toString('hex')).toBe(SECRET);
  });

  it.each([
    ['an unknown version', `zen2.${TOKEN_ID}.${SECRET}`],
    ['a short secret', `zen1.${TOKEN_ID}.${SECRET.slice(2)}`],
    ['uppercase hex', `zen1.${TOKEN_ID.toUpperCase()}.${SECRET}`],
    ['a missing part', `zen1.${SECRET}`],
  ])('refuses %s without naming the secret', (_name, token) => {
    let caught: unknown;
    try {
      parseJoinToken(token);
    } catch (err) {
      caught = err;
    }

    expect(caught).toMatchObject({ code: 'join_token_malformed' });
    expect(String((caught as Error).message)).not.toContain(SECRET.slice(0, 16));
  });
});

describe('EnrollmentClient', () => {
  let pki: TestPki;
  let server: TestMtlsServer;
  let token: JoinToken;

  beforeAll(async () => {
    pki = await makeTestPki();
    token = parseJoinToken(TOKEN);
    server = await startTestMtlsServer(fakeControlPlane(pki, token.key), pki);
  });

  afterAll(async () => {
    await server.close();
  });

  it('trusts a bootstrap bundle whose MAC verifies under the token key', async () => {
    const bundle = await fetchBootstrapBundle(server.baseUrl, token);

    expect(bundle).toEqual({ trustDomain: 'zen.mesh', bundlePem: pki.rootPem, sequence: 3 });
  });

  it('refuses a bootstrap bundle under another key', async () => {
    const other = { tokenId: TOKEN_ID, key: randomBytes(32) };

    await expect(fetchBootstrapBundle(server.baseUrl, other)).rejects.toMatchObject({
      code: 'bootstrap_mac_invalid',
    });
  });

  it('enrolls with a MAC the server verifies and returns the HMAC key as bytes', async () => {
    const client = new EnrollmentClient({ baseUrl: server.baseUrl, caPem: pki.rootPem });

    const outcome = await client.enroll(token, CSR_PEM);
    client.close();

    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.bundle.enrollmentId).toBe('e1');
    expect(outcome.bundle.hmacKey).toHaveLength(32);
  });

  it('returns the refusal when the MAC does not verify', async () => {
    const client = new EnrollmentClient({ baseUrl: server.baseUrl, caPem: pki.rootPem });

    const outcome = await client.enroll({ tokenId: TOKEN_ID, key: randomBytes(32) }, CSR_PEM);
    client.close();

    expect(outcome).toEqual({
      ok: false,
      status: 401,
      code: 'enrollment_denied',
      message: 'enrollment denied',
    });
  });
});
