/**
 * The records the store keeps. Every time is Unix seconds. No record holds a secret in the clear:
 * join-token secrets are derived by the control plane and never stored, HMAC keys arrive wrapped,
 * and nonces are kept under their SHA-256.
 */

/** Lifecycle of a join token: unused, claimed by an unconfirmed enrollment, or spent for good. */
export type TokenState = 'unused' | 'pending' | 'spent';

/** A join token as the control plane made it (PROTOCOL.md, "Join tokens"); no secret inside. */
export interface TokenRecord {
  tokenId: string;
  component: string;
  name: string;
  spiffeId: string;
  createdAt: number;
  expiresAt: number;
  state: TokenState;
  failedMacs: number;
  locked: boolean;
  enrollmentId: string | null;
  createdBy: string | null;
}

/** A challenge nonce bound to one token; the store keys it by the nonce's SHA-256. */
export interface NonceRecord {
  tokenId: string;
  expiresAt: number;
}

/** One enrollment: pending until confirmed inside its window, then active. */
export interface EnrollmentRecord {
  enrollmentId: string;
  tokenId: string;
  spiffeId: string;
  component: string;
  name: string;
  publicKeySha256: string;
  hmacKeyId: string;
  status: 'pending' | 'active';
  createdAt: number;
  confirmBy: number;
  confirmedAt: number | null;
  lastSerial: string | null;
  lastExpiresAt: number | null;
}

/** A per-identity HMAC key, wrapped (base64 AES-256-GCM under the server key), never clear. */
export interface HmacKeyRecord {
  hmacKeyId: string;
  spiffeId: string;
  enrollmentId: string;
  wrappedKey: string;
  createdAt: number;
  expiresAt: number;
}

/** An issued X.509-SVID, by serial (lowercase hex, no leading `00`). */
export interface SvidRecord {
  serial: string;
  spiffeId: string;
  enrollmentId: string;
  certSha256: string;
  publicKeySha256: string;
  notAfter: number;
}

/** An evicted identity and the serials verifiers must reject before they expire. */
export interface EvictionRecord {
  spiffeId: string;
  evictedAt: number;
  serials: string[];
  actor: string;
}

/** The last record of the audit chain; `{ seq: 0, hash: '0' * 64 }` when the chain is empty. */
export interface AuditHead {
  seq: number;
  hash: string;
}

/** Why a claim was refused; the client only ever sees `enrollment_denied`. */
export type ClaimDeniedReason =
  'token_unknown' | 'token_expired' | 'token_used' | 'token_locked' | 'key_mismatch';

/** Outcome of `Store.claimToken`. */
export type ClaimTokenResult =
  | { kind: 'claimed'; token: TokenRecord; enrollment: EnrollmentRecord }
  | { kind: 'resumed'; token: TokenRecord; enrollment: EnrollmentRecord }
  | { kind: 'denied'; reason: ClaimDeniedReason };

/** Input of `Store.claimToken`: the enrollment and key to store if the claim succeeds. */
export interface ClaimTokenParams {
  tokenId: string;
  nowSeconds: number;
  enrollment: EnrollmentRecord;
  hmacKey: HmacKeyRecord;
}

/** Outcome of `Store.confirmEnrollment`. */
export interface ConfirmEnrollmentResult {
  kind: 'confirmed' | 'already_active' | 'expired' | 'unknown';
  enrollment: EnrollmentRecord | null;
}

/** Versioned CA state; version 0 means absent. */
export interface CaStateRecord {
  version: number;
  value: string;
}

/** Input of `Store.appendAudit`. */
export interface AppendAuditParams {
  seq: number;
  prevHash: string;
  hash: string;
  json: string;
}

/** A rate limit: `points` hits per `durationSeconds`. */
export interface RateLimit {
  points: number;
  durationSeconds: number;
}

/** Outcome of one rate-limit hit. */
export interface RateLimitResult {
  allowed: boolean;
  retryAfterSeconds: number;
}

/** Hash of the empty audit chain. */
export const EMPTY_AUDIT_HASH = '0'.repeat(64);
