import { generateKeyAndCsr } from '@zen/ca';
import type { Store } from '@zen/store';

import { TestControlPlane, splitToken } from '../testing/harness';

/** Every record the memory store holds, as JSON text, read through the port only. */
async function dumpStore(store: Store, tokenIds: string[], hmacKeyIds: string[]): Promise<string> {
  const enrollments = await store.listEnrollments();
  const parts: unknown[] = [enrollments, await store.listEvictions(), await store.getCaState()];
  for (const id of tokenIds) parts.push(await store.getToken(id));
  for (const id of hmacKeyIds) parts.push(await store.getHmacKey(id));
  for (const e of enrollments) if (e.lastSerial) parts.push(await store.getSvid(e.lastSerial));
  parts.push(await store.listAudit(0, 10_000));

  return JSON.stringify(parts);
}

describe('secrets', () => {
  it('never appear in logs, store records or audit records during a full enrollment', async () => {
    const cp = await TestControlPlane.start();
    try {
      const token = await cp.createToken('zen-agent', 'secretive');
      const { tokenId, secret } = splitToken(token);
      const key = generateKeyAndCsr();
      const attempt = await cp.prepareEnroll(token, key);
      const { identity } = await cp.sendEnroll(attempt);
      await cp
        .identityClient(identity!)
        .request('POST', '/v1/enroll/confirm', { enrollment_id: identity!.enrollmentId });
      await cp
        .identityClient(identity!)
        .request('POST', '/v1/svid/renew', { csr: generateKeyAndCsr().csrPem });
      await cp
        .publicClient()
        .request('POST', '/v1/enroll', { ...attempt.body, mac: 'a'.repeat(64) });

      const secrets = {
        token,
        tokenSecret: secret.toString('hex'),
        hmacKey: identity!.hmacKey.toString('hex'),
        hmacKeyBase64: identity!.hmacKey.toString('base64'),
        privateKey: key.privateKeyPem.split('\n')[1],
        nonce: attempt.body.nonce,
        mac: attempt.body.mac,
      };
      const logs = cp.logs.text();
      const store = await dumpStore(cp.store, [tokenId], [identity!.hmacKeyId]);
      const audit = JSON.stringify(await cp.auditRecords());

      expect(logs).toContain(tokenId);
      expect(store).toContain(identity!.hmacKeyId);
      for (const [name, value] of Object.entries(secrets)) {
        expect({ name, inLogs: logs.includes(value) }).toEqual({ name, inLogs: false });
        expect({ name, inStore: store.includes(value) }).toEqual({ name, inStore: false });
        expect({ name, inAudit: audit.includes(value) }).toEqual({ name, inAudit: false });
      }
    } finally {
      await cp.close();
    }
  });
});
