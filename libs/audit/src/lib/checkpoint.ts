import { createHash, createPublicKey, KeyObject, verify } from 'node:crypto';

import { AuditEvent, CHECKPOINT_TYPE } from './audit-record';

/** The domain-separation prefix of the checkpoint signing string (PROTOCOL.md "Audit"). */
export const CHECKPOINT_SIGNING_PREFIX = 'zen-audit-checkpoint-v1';

/**
 * The string the audit key signs for a checkpoint:
 * `"zen-audit-checkpoint-v1\n" + through_seq + "\n" + through_hash` (PROTOCOL.md "Audit").
 */
export function checkpointSigningString(throughSeq: number, throughHash: string): string {
  return `${CHECKPOINT_SIGNING_PREFIX}\n${throughSeq}\n${throughHash}`;
}

/** The id of an audit key: sha256 hex of its SubjectPublicKeyInfo DER. */
export function auditKeyId(publicKeySpkiDer: Buffer): string {
  return createHash('sha256').update(publicKeySpkiDer).digest('hex');
}

/** Inputs of {@link buildCheckpointEvent}. */
export interface CheckpointEventParams {
  throughSeq: number;
  throughHash: string;
  /** DER ECDSA-Sig-Value over {@link checkpointSigningString}. */
  signatureDer: Buffer;
  keyId: string;
  actor: string | null;
}

/** The event of a checkpoint record: outcome success, evidence with the signed head. */
export function buildCheckpointEvent(params: CheckpointEventParams): AuditEvent {
  return {
    type: CHECKPOINT_TYPE,
    actor: params.actor,
    subject: null,
    outcome: 'success',
    reason: null,
    evidence: {
      through_seq: params.throughSeq,
      through_hash: params.throughHash,
      signature: params.signatureDer.toString('base64'),
      key_id: params.keyId,
    },
  };
}

/**
 * True when `signatureBase64` is a valid DER ECDSA signature by `publicKey` over the checkpoint
 * signing string. The digest follows the curve (P-256: SHA-256, P-384: SHA-384). Never throws on
 * a malformed signature.
 */
export function verifyCheckpointSignature(
  publicKey: KeyObject,
  throughSeq: number,
  throughHash: string,
  signatureBase64: string,
): boolean {
  const signature = Buffer.from(signatureBase64, 'base64');
  if (signature.length === 0 || signature.toString('base64') !== signatureBase64) return false;

  const data = Buffer.from(checkpointSigningString(throughSeq, throughHash), 'utf8');
  try {
    return verify(digestFor(publicKey), data, { key: publicKey, dsaEncoding: 'der' }, signature);
  } catch {
    return false;
  }
}

function digestFor(publicKey: KeyObject): string {
  const curve = publicKey.asymmetricKeyDetails?.namedCurve;

  return curve === 'secp384r1' ? 'sha384' : 'sha256';
}

/** The SPKI PEM of an audit key, as served at `GET /v1/admin/audit/key`. */
export function auditPublicKeyPem(publicKeySpkiDer: Buffer): string {
  const key = createPublicKey({ key: publicKeySpkiDer, format: 'der', type: 'spki' });

  return key.export({ type: 'spki', format: 'pem' }).toString();
}
