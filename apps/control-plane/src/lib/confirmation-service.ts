import { inject, injectable } from 'tsyringe';

import { AUDIT_LOG } from '@zen/audit';
import type { AuditLog } from '@zen/audit';
import { CLOCK, nowSeconds } from '@zen/config';
import type { Clock } from '@zen/config';
import { LOGGER, LOG_FIELDS } from '@zen/logging';
import type { Logger } from '@zen/logging';
import { STORE } from '@zen/store';
import type { Store } from '@zen/store';

import { PeerRefusedError, RecordMissingError } from './errors';
import { IdentityPolicy } from './identity-policy';
import type { SignedCaller } from './signed-caller';

/**
 * Step 4 of enrollment: the new identity proves it holds its SVID key and HMAC key, and the
 * pending enrollment becomes active (and its token spent for good). Pending identities are
 * accepted here, and only here.
 */
@injectable()
export class ConfirmationService {
  constructor(
    @inject(STORE) private readonly store: Store,
    @inject(IdentityPolicy) private readonly policy: IdentityPolicy,
    @inject(AUDIT_LOG) private readonly audit: AuditLog,
    @inject(CLOCK) private readonly clock: Clock,
    @inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Activates the caller's own enrollment; idempotent once active. */
  async confirm(enrollmentId: string, caller: SignedCaller): Promise<{ status: 'active' }> {
    const evidence = {
      enrollment_id: enrollmentId,
      serial: caller.serial,
      hmac_key_id: caller.hmacKeyId,
      request_id: caller.requestId,
    };
    const refuse = async (reason: string, error: Error): Promise<never> => {
      await this.audit.append({
        type: 'enrollment.confirm_denied',
        actor: caller.spiffeId,
        subject: caller.spiffeId,
        outcome: 'denied',
        reason,
        evidence,
      });
      throw error;
    };

    const enrollment = await this.store.getEnrollment(enrollmentId);
    if (!enrollment || enrollment.spiffeId !== caller.spiffeId) {
      return refuse('enrollment_unknown', new RecordMissingError('enrollment_unknown'));
    }
    if (enrollment.hmacKeyId !== caller.hmacKeyId) {
      return refuse('key_not_of_enrollment', new PeerRefusedError('key_not_of_enrollment'));
    }
    if (await this.policy.isEnrollmentEvicted(enrollment)) {
      return refuse('identity_evicted', new PeerRefusedError('identity_evicted'));
    }

    const result = await this.store.confirmEnrollment(enrollmentId, nowSeconds(this.clock));
    if (result.kind === 'expired') {
      return refuse('confirm_window_expired', new PeerRefusedError('confirm_window_expired'));
    }
    if (result.kind === 'unknown') {
      return refuse('enrollment_unknown', new RecordMissingError('enrollment_unknown'));
    }
    await this.audit.append({
      type: 'enrollment.confirmed',
      actor: caller.spiffeId,
      subject: caller.spiffeId,
      outcome: 'success',
      reason: null,
      evidence: { ...evidence, already_active: result.kind === 'already_active' },
    });
    this.logger.info('enrollment confirmed', {
      [LOG_FIELDS.spiffeId]: caller.spiffeId,
      [LOG_FIELDS.enrollmentId]: enrollmentId,
    });

    return { status: 'active' };
  }
}
