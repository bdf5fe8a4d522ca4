import { generateKeyAndCsr } from '@zen/ca';
import { MemoryStore } from '@zen/store';

import { TestControlPlane, splitToken } from '../testing/harness';

describe('secrets', () => {
  it('never appear in logs, store records or audit records during a full enrollment', async () => {
    const cp = await TestControlPlane.start();
    try {
      const token = await cp.createToken('zen-agent', 'secretive');
      const { tokenId, secret } = splitToken(token);
      const key = generateKeyAndCsr();
      const attempt = await cp.prepareEnroll(token, key);
      const identity = await cp.enrollOrThrow(attempt);
      await cp
        .identityClient(identity)
        .request('POST', '/v1/enroll/confirm', { enrollment_id: identity.enrollmentId });
      await cp
        .identityClient(identity)
        .request('POST', '/v1/svid/renew', { csr: generateKeyAndCsr().csrPem });
      await cp
        .publicClient()
        .request('POST', '/v1/enroll', { ...attempt.body, mac: 'a'.repeat(64) });

      const secrets = {
        token,
        tokenSecret: secret.toString('hex'),
        hmacKey: identity.hmacKey.toString('hex'),
        hmacKeyBase64: identity.hmacKey.toString('base64'),
        privateKey: key.privateKeyPem.split('\n')[1],
        nonce: attempt.body.nonce,
        mac: attempt.body.mac,
      };
      const logs = cp.logs.text();
      const memory = cp.store;
      if (!(memory instanceof MemoryStore)) throw new TypeError('spec needs the memory store');
      const store = JSON.stringify(await memory.dump());
      const audit = JSON.stringify(await cp.auditRecords());

      expect(logs).toContain(tokenId);
      expect(store).toContain(identity.hmacKeyId);
      expect(store).toContain(tokenId);
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
