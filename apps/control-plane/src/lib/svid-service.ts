import { X509Certificate } from 'node:crypto';

import { inject, injectable } from 'tsyringe';

import { AUDIT_LOG } from '@zen/audit';
import type { AuditLog } from '@zen/audit';
import { CsrError, parseCsrPem, validateCsr } from '@zen/ca';
import type { CaManager, ParsedCsr } from '@zen/ca';
import { CLOCK, nowSeconds } from '@zen/config';
import type { Clock } from '@zen/config';
import { SKEW_SECONDS, recoverMacString, sha256hex, verifyHmacHex } from '@zen/hmac';
import { certificateSha256, parsePemCertificates, verifyX509Svid } from '@zen/identity';
import { LOGGER, LOG_FIELDS } from '@zen/logging';
import type { Logger } from '@zen/logging';
import { STORE } from '@zen/store';
import type { EnrollmentRecord, Store, SvidRecord } from '@zen/store';

import { CONFIG } from './config';
import type { ControlPlaneConfig } from './config';
import { ControlPlaneError, CsrRefusedError, RecoveryRefusedError } from './errors';
import { IdentityPolicy } from './identity-policy';
import { KeyWrapper } from './key-wrapping';
import { Metrics } from './metrics';
import type { SignedCaller } from './signed-caller';
import { SvidIssuance } from './svid-issuance';
import type { SvidAnswer } from './svid-issuance';
import { CA_MANAGER } from './tokens';
import { pemBlockDer } from './wire-schemas';

/** A shape-checked `POST /v1/svid/recover` body. */
export interface RecoverParams {
  spiffe_id: string;
  expired_svid_pem: string;
  csr: string;
  timestamp: number;
  mac: string;
}

type Evidence = Record<string, string | number | boolean | null>;

/** Renewal over mTLS + signed request, and recovery of an identity whose SVID expired. */
@injectable()
export class SvidService {
  constructor(
    @inject(STORE) private readonly store: Store,
    @inject(CA_MANAGER) private readonly ca: CaManager,
    @inject(SvidIssuance) private readonly issuance: SvidIssuance,
    @inject(IdentityPolicy) private readonly policy: IdentityPolicy,
    @inject(KeyWrapper) private readonly wrapper: KeyWrapper,
    @inject(AUDIT_LOG) private readonly audit: AuditLog,
    @inject(Metrics) private readonly metrics: Metrics,
    @inject(CLOCK) private readonly clock: Clock,
    @inject(CONFIG) private readonly config: ControlPlaneConfig,
    @inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Issues a new SVID for the caller's own SPIFFE ID (from the peer certificate). */
  async renew(csrPem: string, caller: SignedCaller): Promise<SvidAnswer> {
    const evidence: Evidence = {
      serial: caller.serial,
      hmac_key_id: caller.hmacKeyId,
      csr_sha256: sha256hex(pemBlockDer(csrPem)),
      request_id: caller.requestId,
    };
    const fail = (err: unknown) =>
      this.refused('renew', caller.spiffeId, caller.spiffeId, evidence, err);

    let enrollment: EnrollmentRecord;
    let csr: ParsedCsr;
    try {
      const key = await this.store.getHmacKey(caller.hmacKeyId);
      const found = key ? await this.store.getEnrollment(key.enrollmentId) : null;
      enrollment = await this.policy.assertActive(found);
      csr = checkCsr(csrPem, caller.spiffeId);
    } catch (err) {
      return fail(err);
    }

    const { svid, answer } = await this.issuance.issue({
      operation: 'renew',
      publicKeySpki: csr.publicKeySpki,
      spiffeId: caller.spiffeId,
      enrollmentId: enrollment.enrollmentId,
    });
    Object.assign(evidence, { new_serial: svid.serial, cert_sha256: svid.certSha256 });
    await this.succeeded('svid.renewed', caller.spiffeId, caller.spiffeId, evidence);
    this.metrics.renewals.inc({ operation: 'renew', outcome: 'success', reason: 'none' });
    this.logger.info('svid renewed', {
      [LOG_FIELDS.spiffeId]: caller.spiffeId,
      [LOG_FIELDS.serial]: svid.serial,
    });

    return answer;
  }

  /**
   * Re-issues for an identity whose SVID expired less than the recovery window ago: the
   * expired SVID must be ours, the CSR signed by the same key, the MAC made with the
   * identity's HMAC key, and the identity neither evicted nor unconfirmed.
   */
  async recover(body: RecoverParams, requestId: string): Promise<SvidAnswer> {
    const csrDer = pemBlockDer(body.csr);
    const evidence: Evidence = { csr_sha256: sha256hex(csrDer), request_id: requestId };
    const fail = (err: unknown) => this.refused('recover', null, body.spiffe_id, evidence, err);

    let found: { svid: SvidRecord; enrollment: EnrollmentRecord };
    let csr: ParsedCsr;
    try {
      const now = nowSeconds(this.clock);
      if (Math.abs(now - body.timestamp) > SKEW_SECONDS) {
        throw new RecoveryRefusedError('timestamp_skew', 'skew');
      }
      const leaf = this.expiredLeaf(body, now, evidence);
      found = await this.issuedRecord(leaf, body.spiffe_id);
      await this.checkRecoveryMac(body, leaf.der, csrDer, found.enrollment);
      if (!(await this.store.rememberOnce(`recover:${body.mac}`, 2 * SKEW_SECONDS))) {
        throw new RecoveryRefusedError('replay', 'replay');
      }
      await this.policy.assertActive(found.enrollment);
      csr = checkCsr(body.csr, body.spiffe_id);
      if (csr.publicKeySha256 !== found.svid.publicKeySha256) {
        throw new CsrRefusedError(
          'csr_key_changed',
          'the CSR key differs from the expired SVID key',
        );
      }
    } catch (err) {
      return fail(err);
    }

    const { svid, answer } = await this.issuance.issue({
      operation: 'recover',
      publicKeySpki: csr.publicKeySpki,
      spiffeId: body.spiffe_id,
      enrollmentId: found.enrollment.enrollmentId,
    });
    Object.assign(evidence, { new_serial: svid.serial, cert_sha256: svid.certSha256 });
    await this.succeeded('svid.recovered', body.spiffe_id, body.spiffe_id, evidence);
    this.metrics.renewals.inc({ operation: 'recover', outcome: 'success', reason: 'none' });
    this.logger.info('svid recovered', {
      [LOG_FIELDS.spiffeId]: body.spiffe_id,
      [LOG_FIELDS.serial]: svid.serial,
    });

    return answer;
  }

  // The expired SVID must chain to a root we still publish and must have expired less than
  // the recovery window ago; verification happens at an instant inside its validity.
  // Limitation: an SVID that has not quite expired is accepted too, so a component whose clock
  // runs ahead can still recover; it proves the same key and HMAC key either way.
  private expiredLeaf(
    body: RecoverParams,
    now: number,
    evidence: Evidence,
  ): { der: Buffer; serial: string } {
    let chain: Buffer[];
    try {
      chain = parsePemCertificates(body.expired_svid_pem);
    } catch {
      throw new RecoveryRefusedError('svid_malformed', 'unauthenticated');
    }
    if (chain.length === 0) throw new RecoveryRefusedError('svid_malformed', 'unauthenticated');
    evidence.cert_sha256 = certificateSha256(chain[0]);
    let verified;
    try {
      const notAfterMs = readNotAfterMs(chain[0]);
      verified = verifyX509Svid({ chain, bundle: this.ca.bundle(), atMs: notAfterMs - 1000 });
    } catch {
      throw new RecoveryRefusedError('svid_untrusted', 'unauthenticated');
    }
    evidence.serial = verified.serial;
    if (verified.spiffeId.uri !== body.spiffe_id) {
      throw new RecoveryRefusedError('svid_spiffe_id_mismatch', 'unauthenticated');
    }
    if (now - Math.floor(verified.notAfterMs / 1000) > this.config.recoveryWindow) {
      throw new RecoveryRefusedError('recovery_window_passed', 'unauthenticated');
    }

    return { der: chain[0], serial: verified.serial };
  }

  private async issuedRecord(leaf: { der: Buffer; serial: string }, spiffeId: string) {
    const svid = await this.store.getSvid(leaf.serial);
    if (!svid || svid.spiffeId !== spiffeId || svid.certSha256 !== certificateSha256(leaf.der)) {
      throw new RecoveryRefusedError('svid_not_issued_here', 'unauthenticated');
    }
    const enrollment = await this.store.getEnrollment(svid.enrollmentId);
    if (!enrollment) throw new RecoveryRefusedError('enrollment_unknown', 'unauthenticated');

    return { svid, enrollment };
  }

  private async checkRecoveryMac(
    body: RecoverParams,
    leaf: Buffer,
    csrDer: Buffer,
    enrollment: EnrollmentRecord,
  ): Promise<void> {
    const record = await this.store.getHmacKey(enrollment.hmacKeyId);
    if (!record) throw new RecoveryRefusedError('hmac_key_unknown', 'unauthenticated');
    const key = this.wrapper.unwrap(record.hmacKeyId, record.wrappedKey);
    const message = recoverMacString({
      spiffeId: body.spiffe_id,
      timestamp: body.timestamp,
      expiredLeafDer: leaf,
      csrDer,
    });
    if (!verifyHmacHex(key, message, body.mac)) {
      throw new RecoveryRefusedError('mac_invalid', 'signature_invalid');
    }
  }

  private async refused(
    operation: 'renew' | 'recover',
    actor: string | null,
    subject: string,
    evidence: Evidence,
    err: unknown,
  ): Promise<never> {
    if (!(err instanceof ControlPlaneError)) throw err;
    await this.audit.append({
      type: operation === 'renew' ? 'svid.renewal_denied' : 'svid.recovery_denied',
      actor,
      subject,
      outcome: 'denied',
      reason: err.reason,
      evidence,
    });
    this.metrics.renewals.inc({ operation, outcome: 'denied', reason: err.reason });

    throw err;
  }

  private async succeeded(type: string, actor: string, subject: string, evidence: Evidence) {
    await this.audit.append({ type, actor, subject, outcome: 'success', reason: null, evidence });
  }
}

function checkCsr(pem: string, spiffeId: string): ParsedCsr {
  try {
    const csr = parseCsrPem(pem);
    validateCsr(csr, spiffeId);
    return csr;
  } catch (err) {
    if (!(err instanceof CsrError)) throw err;
    const reason = (err as { reason?: unknown }).reason;
    throw new CsrRefusedError(err.code, typeof reason === 'string' ? reason : err.code);
  }
}

function readNotAfterMs(der: Buffer): number {
  return Date.parse(new X509Certificate(der).validTo);
}
