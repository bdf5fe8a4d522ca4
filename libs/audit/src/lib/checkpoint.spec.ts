import { createHash, createPublicKey } from 'node:crypto';

import { createTestAuditKey } from '../testing';
import {
  auditKeyId,
  auditPublicKeyPem,
  buildCheckpointEvent,
  checkpointSigningString,
  verifyCheckpointSignature,
} from './checkpoint';

describe('checkpoint', () => {
  const key = createTestAuditKey();
  const publicKey = createPublicKey(key.publicKeyPem);
  const hash = 'ab'.repeat(32);

  it('signs the string of PROTOCOL.md', () => {
    expect(checkpointSigningString(100, hash)).toBe(`zen-audit-checkpoint-v1\n100\n${hash}`);
  });

  it('names the key by the sha256 of its SPKI DER', () => {
    const expected = createHash('sha256').update(key.publicKeySpki).digest('hex');

    expect(auditKeyId(key.publicKeySpki)).toBe(expected);
  });

  it('builds a successful checkpoint event with base64 signature evidence', () => {
    const signatureDer = key.signDer(Buffer.from(checkpointSigningString(7, hash)));

    const event = buildCheckpointEvent({
      throughSeq: 7,
      throughHash: hash,
      signatureDer,
      keyId: key.keyId,
      actor: null,
    });

    expect(event).toEqual({
      type: 'audit.checkpoint',
      actor: null,
      subject: null,
      outcome: 'success',
      reason: null,
      evidence: {
        through_seq: 7,
        through_hash: hash,
        signature: signatureDer.toString('base64'),
        key_id: key.keyId,
      },
    });
  });

  it('verifies its signature and refuses it for another seq, hash or garbage', () => {
    const signature = key.signDer(Buffer.from(checkpointSigningString(7, hash))).toString('base64');

    expect(verifyCheckpointSignature(publicKey, 7, hash, signature)).toBe(true);
    expect(verifyCheckpointSignature(publicKey, 8, hash, signature)).toBe(false);
    expect(verifyCheckpointSignature(publicKey, 7, 'cd'.repeat(32), signature)).toBe(false);
    expect(verifyCheckpointSignature(publicKey, 7, hash, 'not base64!')).toBe(false);
    expect(verifyCheckpointSignature(publicKey, 7, hash, '')).toBe(false);
  });

  it('writes the audit key as SPKI PEM that verifies its signatures', () => {
    const pem = auditPublicKeyPem(key.publicKeySpki);
    const signature = key.signDer(Buffer.from(checkpointSigningString(1, hash))).toString('base64');

    expect(pem).toBe(key.publicKeyPem);
    expect(verifyCheckpointSignature(createPublicKey(pem), 1, hash, signature)).toBe(true);
  });
});
