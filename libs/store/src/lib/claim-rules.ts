import type {
  ClaimTokenParams,
  ClaimDeniedReason,
  ConfirmEnrollmentResult,
  EnrollmentRecord,
  TokenRecord,
} from './records';

/**
 * The claim and confirm rules in one place for the in-memory plugin. The Redis plugin runs the
 * same rules inside its Lua scripts; the contract suite holds both to the same behaviour.
 */
export type ClaimDecision =
  | { kind: 'claim' }
  | { kind: 'resume'; enrollment: EnrollmentRecord }
  | { kind: 'deny'; reason: ClaimDeniedReason };

/** Decides a claim on a known token, given the enrollment its pending claim points at. */
export function decideClaim(
  token: TokenRecord,
  claimed: EnrollmentRecord | null,
  params: ClaimTokenParams,
): ClaimDecision {
  if (token.locked) return { kind: 'deny', reason: 'token_locked' };
  if (token.state === 'spent') return { kind: 'deny', reason: 'token_used' };

  // A pending token is judged by its enrollment's confirm window, not by the token's own
  // expiry: a retry near the end of the token's life must still get its enrollment back.
  if (token.state === 'pending') {
    const open = claimed?.status === 'pending' && params.nowSeconds < claimed.confirmBy;
    if (!claimed || !open) return { kind: 'deny', reason: 'token_used' };
    if (claimed.publicKeySha256 !== params.enrollment.publicKeySha256) {
      return { kind: 'deny', reason: 'key_mismatch' };
    }

    return { kind: 'resume', enrollment: claimed };
  }

  if (params.nowSeconds >= token.expiresAt) return { kind: 'deny', reason: 'token_expired' };

  return { kind: 'claim' };
}

/** Decides a confirmation; `confirmed` carries the activated copy of the enrollment. */
export function decideConfirm(
  enrollment: EnrollmentRecord | null,
  nowSeconds: number,
): ConfirmEnrollmentResult {
  if (!enrollment) return { kind: 'unknown', enrollment: null };
  if (enrollment.status === 'active') return { kind: 'already_active', enrollment };
  if (nowSeconds >= enrollment.confirmBy) return { kind: 'expired', enrollment };

  return {
    kind: 'confirmed',
    enrollment: { ...enrollment, status: 'active', confirmedAt: nowSeconds },
  };
}

/** Refuses claim parameters whose records do not belong together (a programming error). */
export function assertClaimParams(params: ClaimTokenParams): void {
  const { tokenId, enrollment, hmacKey } = params;
  if (enrollment.tokenId !== tokenId) {
    throw new TypeError(`enrollment ${enrollment.enrollmentId} is not for token ${tokenId}`);
  }
  if (enrollment.status !== 'pending') {
    throw new TypeError(`enrollment ${enrollment.enrollmentId} must be pending when claimed`);
  }
  if (hmacKey.enrollmentId !== enrollment.enrollmentId) {
    throw new TypeError(`hmac key ${hmacKey.hmacKeyId} is not for ${enrollment.enrollmentId}`);
  }
  if (hmacKey.hmacKeyId !== enrollment.hmacKeyId) {
    throw new TypeError(`enrollment ${enrollment.enrollmentId} names another hmac key`);
  }
}

/**
 * When the store may drop a token: its retention past `expiresAt`, and while pending never
 * before the confirm window closes (`confirmBy`).
 */
export function tokenKeepUntil(
  token: TokenRecord,
  retentionSeconds: number,
  confirmBy = Number.NEGATIVE_INFINITY,
): number {
  return Math.max(token.expiresAt + retentionSeconds, confirmBy);
}
