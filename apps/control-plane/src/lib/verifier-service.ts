import { inject, injectable } from 'tsyringe';

import { AUDIT_LOG } from '@zen/audit';
import type { AuditLog } from '@zen/audit';
import { CLOCK, nowSeconds } from '@zen/config';
import type { Clock } from '@zen/config';
import { STORE } from '@zen/store';
import type { Store } from '@zen/store';

import { ControlPlaneError, RecordMissingError } from './errors';
import { IdentityPolicy } from './identity-policy';
import { KeyWrapper } from './key-wrapping';
import type { SignedCaller } from './signed-caller';
import { hmacKeyIdSchema } from './wire-schemas';
import { rfc3339 } from './wire-time';

/**
 * What verifiers (ingester, egress) learn from the control plane: the HMAC key behind a key id
 * of an active identity, and the eviction list.
 */
@injectable()
export class VerifierService {
  constructor(
    @inject(STORE) private readonly store: Store,
    @inject(IdentityPolicy) private readonly policy: IdentityPolicy,
    @inject(KeyWrapper) private readonly wrapper: KeyWrapper,
    @inject(AUDIT_LOG) private readonly audit: AuditLog,
    @inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * The unwrapped key of an active, unevicted identity; 404 for anything else. The caller is
   * checked before the id, so a non-verifier learns nothing about key ids.
   */
  async lookupKey(rawKeyId: string, caller: SignedCaller) {
    const parsed = hmacKeyIdSchema.safeParse(rawKeyId);
    const hmacKeyId = parsed.success ? parsed.data : '';
    const evidence = {
      hmac_key_id: parsed.success ? hmacKeyId : null,
      request_id: caller.requestId,
    };
    try {
      await this.assertCallerMayVerify(caller);
      if (!parsed.success) throw new RecordMissingError('hmac_key_id_malformed');
      const record = await this.store.getHmacKey(hmacKeyId);
      if (!record || record.expiresAt <= nowSeconds(this.clock)) {
        throw new RecordMissingError('hmac_key_unknown');
      }
      const enrollment = await this.store.getEnrollment(record.enrollmentId);
      try {
        await this.policy.assertActive(enrollment);
      } catch (err) {
        throw new RecordMissingError(err instanceof ControlPlaneError ? err.reason : 'inactive');
      }
      const key = this.wrapper.unwrap(record.hmacKeyId, record.wrappedKey);
      await this.recordLookup(caller, record.spiffeId, 'success', null, evidence);

      return {
        spiffe_id: record.spiffeId,
        hmac_key: key.toString('hex'),
        expires_at: rfc3339(record.expiresAt),
      };
    } catch (err) {
      if (err instanceof ControlPlaneError) {
        await this.recordLookup(caller, null, 'denied', err.reason, evidence);
      }
      throw err;
    }
  }

  /** Every evicted SPIFFE ID with the serials known at eviction time. */
  async listEvictions(caller: SignedCaller) {
    await this.assertCallerMayVerify(caller);
    const evictions = await this.store.listEvictions();

    return {
      evictions: evictions.map((e) => ({
        spiffe_id: e.spiffeId,
        evicted_at: rfc3339(e.evictedAt),
        serials: e.serials,
      })),
    };
  }

  /** Throws 403 unless the caller is an active ingester or egress identity. */
  async assertCallerMayVerify(caller: SignedCaller): Promise<void> {
    this.policy.assertVerifier(caller.spiffeId);
    const key = await this.store.getHmacKey(caller.hmacKeyId);
    await this.policy.assertActive(key ? await this.store.getEnrollment(key.enrollmentId) : null);
  }

  private async recordLookup(
    caller: SignedCaller,
    subject: string | null,
    outcome: 'success' | 'denied',
    reason: string | null,
    evidence: Record<string, string | null>,
  ): Promise<void> {
    await this.audit.append({
      type: 'keys.lookup',
      actor: caller.spiffeId,
      subject,
      outcome,
      reason,
      evidence,
    });
  }
}
