import { inject, injectable } from 'tsyringe';

import { AUDIT_LOG } from '@zen/audit';
import type { AuditLog } from '@zen/audit';
import { CsrError, parseCsrPem, validateCsr } from '@zen/ca';
import type { CaManager, ParsedCsr } from '@zen/ca';
import { CLOCK, RANDOM, nowSeconds } from '@zen/config';
import type { Clock, Random } from '@zen/config';
import {
  SKEW_SECONDS,
  bundleMacString,
  enrollMacString,
  hmacHex,
  sha256hex,
  verifyHmacHex,
} from '@zen/hmac';
import { trustBundleToPem } from '@zen/identity';
import { LOGGER, LOG_FIELDS } from '@zen/logging';
import type { Logger } from '@zen/logging';
import { STORE } from '@zen/store';
import type { EnrollmentRecord, Store, TokenRecord } from '@zen/store';

import { CONFIG } from './config';
import type { ControlPlaneConfig } from './config';
import { CsrRefusedError, EnrollmentRefusedError } from './errors';
import { KeyWrapper } from './key-wrapping';
import { Metrics } from './metrics';
import { SvidIssuance } from './svid-issuance';
import type { SvidAnswer } from './svid-issuance';
import { TokenService } from './token-service';
import { CA_MANAGER } from './tokens';
import { pemBlockDer } from './wire-schemas';
import { rfc3339 } from './wire-time';

/** A shape-checked `POST /v1/enroll` body. */
export interface EnrollParams {
  token_id: string;
  nonce: string;
  csr: string;
  timestamp: number;
  mac: string;
}

/** The enrollment bundle of a `201` answer. */
export interface EnrollmentAnswer extends SvidAnswer {
  enrollment_id: string;
  spiffe_id: string;
  hmac_key_id: string;
  hmac_key: string;
}

type Evidence = Record<string, string | number | boolean | null>;

/**
 * The unauthenticated half of enrollment: trust bootstrap, challenge and enroll, checked in
 * the order PROTOCOL.md gives. Every authentication failure is one `enrollment_denied`; the
 * precise reason goes to the audit record and the metric label.
 */
@injectable()
export class EnrollmentService {
  constructor(
    @inject(STORE) private readonly store: Store,
    @inject(CA_MANAGER) private readonly ca: CaManager,
    @inject(TokenService) private readonly tokens: TokenService,
    @inject(KeyWrapper) private readonly wrapper: KeyWrapper,
    @inject(SvidIssuance) private readonly issuance: SvidIssuance,
    @inject(AUDIT_LOG) private readonly audit: AuditLog,
    @inject(Metrics) private readonly metrics: Metrics,
    @inject(CLOCK) private readonly clock: Clock,
    @inject(RANDOM) private readonly random: Random,
    @inject(CONFIG) private readonly config: ControlPlaneConfig,
    @inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** The trust bundle with a MAC under the token's key; the same work for any token id. */
  bootstrapBundle(tokenId: string) {
    const bundle = this.ca.bundle();
    const bundlePem = trustBundleToPem(bundle);
    const mac = hmacHex(
      this.tokens.enrollmentKey(tokenId),
      bundleMacString({ tokenId, bundlePem }),
    );

    return {
      trust_domain: bundle.trustDomain,
      bundle_pem: bundlePem,
      sequence: bundle.sequence,
      mac,
    };
  }

  /** A fresh nonce bound to the token id; issued for any well-formed id and never audited. */
  async challenge(tokenId: string): Promise<{ nonce: string; expires_at: string }> {
    const nonce = this.random.bytes(32).toString('hex');
    const expiresAt = nowSeconds(this.clock) + this.config.nonceTtl;
    await this.store.putNonce(nonce, { tokenId, expiresAt });
    this.metrics.challenges.inc();

    return { nonce, expires_at: rfc3339(expiresAt) };
  }

  /** Checks nonce, timestamp, MAC, token and CSR in that order, then claims and issues. */
  async enroll(body: EnrollParams, requestId: string): Promise<EnrollmentAnswer> {
    const now = nowSeconds(this.clock);
    const csrDer = pemBlockDer(body.csr);
    const evidence: Evidence = {
      token_id: body.token_id,
      nonce_sha256: sha256hex(body.nonce),
      csr_sha256: sha256hex(csrDer),
      request_id: requestId,
    };

    await this.checkNonce(body, now, evidence);
    if (Math.abs(now - body.timestamp) > SKEW_SECONDS) {
      return this.deny('timestamp_skew', null, evidence);
    }
    await this.checkMac(body, csrDer, evidence);
    const token = await this.checkToken(body.token_id, now, evidence);
    const csr = await this.checkCsr(body.csr, token, evidence);

    return this.claimAndIssue(token, csr, now, evidence);
  }

  // The nonce is consumed before anything else is decided, so a failed attempt burns it. The
  // store still hands out an expired nonce during its retention: the expiry is decided here.
  private async checkNonce(body: EnrollParams, now: number, evidence: Evidence): Promise<void> {
    const nonce = await this.store.consumeNonce(body.nonce);
    if (!nonce) return this.deny('nonce_unknown', null, evidence);
    if (nonce.expiresAt <= now) return this.deny('nonce_expired', null, evidence);
    if (nonce.tokenId !== body.token_id) return this.deny('nonce_token_mismatch', null, evidence);
  }

  // The key is derived for any token id, so the check costs the same whether it exists or not.
  private async checkMac(body: EnrollParams, csrDer: Buffer, evidence: Evidence): Promise<void> {
    const key = this.tokens.enrollmentKey(body.token_id);
    const message = enrollMacString({
      tokenId: body.token_id,
      nonce: body.nonce,
      timestamp: body.timestamp,
      csrDer,
    });
    if (verifyHmacHex(key, message, body.mac)) return;

    const failure = await this.store.recordFailedMac(body.token_id, this.config.maxFailedMacs);
    if (failure?.locked && failure.failedMacs === this.config.maxFailedMacs) {
      this.logger.warn('token locked', { [LOG_FIELDS.tokenId]: body.token_id });
      evidence.token_locked = true;
    }

    return this.deny('mac_invalid', null, evidence);
  }

  // The store keeps an expired token for a retention period, so `token_expired` is told apart
  // from `token_unknown` in the audit; the client sees the same answer either way.
  private async checkToken(tokenId: string, now: number, evidence: Evidence): Promise<TokenRecord> {
    const token = await this.store.getToken(tokenId);
    if (!token) return this.deny('token_unknown', null, evidence);
    if (token.locked) return this.deny('token_locked', token.spiffeId, evidence);
    if (token.state === 'spent') return this.deny('token_used', token.spiffeId, evidence);
    if (token.expiresAt <= now) return this.deny('token_expired', token.spiffeId, evidence);
    const eviction = await this.store.getEviction(token.spiffeId);
    if (eviction && token.createdAt <= eviction.evictedAt) {
      return this.deny('identity_evicted', token.spiffeId, evidence);
    }

    return token;
  }

  private async checkCsr(pem: string, token: TokenRecord, evidence: Evidence): Promise<ParsedCsr> {
    try {
      const csr = parseCsrPem(pem);
      validateCsr(csr, token.spiffeId);
      return csr;
    } catch (err) {
      if (!(err instanceof CsrError)) throw err;
      await this.record('enrollment.denied', 'denied', err.code, token.spiffeId, evidence);
      this.metrics.enrollments.inc({ outcome: 'rejected', reason: err.code });
      throw new CsrRefusedError(err.code, csrDetail(err));
    }
  }

  private async claimAndIssue(
    token: TokenRecord,
    csr: ParsedCsr,
    now: number,
    evidence: Evidence,
  ): Promise<EnrollmentAnswer> {
    const hmacKey = this.random.bytes(32);
    const enrollment = this.newEnrollment(token, csr, now);
    const result = await this.store.claimToken({
      tokenId: token.tokenId,
      nowSeconds: now,
      enrollment,
      hmacKey: {
        hmacKeyId: enrollment.hmacKeyId,
        spiffeId: token.spiffeId,
        enrollmentId: enrollment.enrollmentId,
        wrappedKey: this.wrapper.wrap(enrollment.hmacKeyId, hmacKey),
        createdAt: now,
        expiresAt: now + this.config.svidTtl + this.config.recoveryWindow,
      },
    });
    if (result.kind === 'denied') return this.deny(result.reason, token.spiffeId, evidence);

    const claimed = result.enrollment;
    const key = result.kind === 'claimed' ? hmacKey : await this.storedKey(claimed);
    const { svid, answer } = await this.issuance.issue({
      operation: 'enroll',
      publicKeySpki: csr.publicKeySpki,
      spiffeId: claimed.spiffeId,
      enrollmentId: claimed.enrollmentId,
    });
    Object.assign(evidence, {
      enrollment_id: claimed.enrollmentId,
      hmac_key_id: claimed.hmacKeyId,
      serial: svid.serial,
      cert_sha256: svid.certSha256,
      resumed: result.kind === 'resumed',
    });
    await this.record('enrollment.accepted', 'success', null, claimed.spiffeId, evidence);
    this.metrics.enrollments.inc({
      outcome: result.kind === 'claimed' ? 'accepted' : 'resumed',
      reason: 'none',
    });
    this.logger.info('enrollment accepted', {
      [LOG_FIELDS.spiffeId]: claimed.spiffeId,
      [LOG_FIELDS.enrollmentId]: claimed.enrollmentId,
      [LOG_FIELDS.serial]: svid.serial,
    });

    return {
      enrollment_id: claimed.enrollmentId,
      spiffe_id: claimed.spiffeId,
      ...answer,
      hmac_key_id: claimed.hmacKeyId,
      hmac_key: key.toString('hex'),
    };
  }

  private newEnrollment(token: TokenRecord, csr: ParsedCsr, now: number): EnrollmentRecord {
    return {
      enrollmentId: this.random.bytes(16).toString('hex'),
      tokenId: token.tokenId,
      spiffeId: token.spiffeId,
      component: token.component,
      name: token.name,
      publicKeySha256: csr.publicKeySha256,
      hmacKeyId: this.random.bytes(16).toString('hex'),
      status: 'pending',
      createdAt: now,
      confirmBy: now + this.config.confirmWindow,
      confirmedAt: null,
      lastSerial: null,
      lastExpiresAt: null,
    };
  }

  private async storedKey(enrollment: EnrollmentRecord): Promise<Buffer> {
    const record = await this.store.getHmacKey(enrollment.hmacKeyId);
    if (!record)
      throw new Error(`hmac key ${enrollment.hmacKeyId} of a pending enrollment is missing`);

    return this.wrapper.unwrap(record.hmacKeyId, record.wrappedKey);
  }

  private async deny(reason: string, subject: string | null, evidence: Evidence): Promise<never> {
    await this.record('enrollment.denied', 'denied', reason, subject, evidence);
    this.metrics.enrollments.inc({ outcome: 'denied', reason });
    this.logger.info('enrollment denied', { reason, [LOG_FIELDS.tokenId]: evidence.token_id });

    throw new EnrollmentRefusedError(reason);
  }

  private async record(
    type: string,
    outcome: 'success' | 'denied',
    reason: string | null,
    subject: string | null,
    evidence: Evidence,
  ): Promise<void> {
    await this.audit.append({
      type,
      actor: null,
      subject,
      outcome,
      reason,
      evidence: { ...evidence },
    });
  }
}

function csrDetail(err: CsrError): string {
  const reason = (err as { reason?: unknown }).reason;

  return typeof reason === 'string' && reason !== '' ? reason : err.code;
}
