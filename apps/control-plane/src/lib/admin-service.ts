import { inject, injectable } from 'tsyringe';

import { AUDIT_LOG } from '@zen/audit';
import type { AuditLog } from '@zen/audit';
import type { CaManager, CaTransition } from '@zen/ca';
import { CLOCK, nowSeconds } from '@zen/config';
import type { Clock } from '@zen/config';
import { parseSpiffeId } from '@zen/identity';
import { LOGGER, LOG_FIELDS } from '@zen/logging';
import type { Logger } from '@zen/logging';
import { STORE } from '@zen/store';
import type { EnrollmentRecord, Store } from '@zen/store';

import { describeCa, recordCaTransitions } from './ca-status';
import { CONFIG } from './config';
import type { ControlPlaneConfig } from './config';
import { InvalidSettingError } from './errors';
import { IdentityPolicy } from './identity-policy';
import { TokenService } from './token-service';
import type { TokenComponent } from './token-service';
import { AUDIT_PUBLIC_KEY_PEM, CA_MANAGER } from './tokens';
import { rfc3339, rfc3339OrNull } from './wire-time';

/** Who is calling the admin API, for the audit record. */
export interface AdminCaller {
  spiffeId: string;
  requestId: string;
}

const AUDIT_PAGE_DEFAULT = 1000;

/** The operator API behind `zenctl`; every call is audited with the admin's SPIFFE ID. */
@injectable()
export class AdminService {
  constructor(
    @inject(STORE) private readonly store: Store,
    @inject(CA_MANAGER) private readonly ca: CaManager,
    @inject(TokenService) private readonly tokens: TokenService,
    @inject(IdentityPolicy) private readonly policy: IdentityPolicy,
    @inject(AUDIT_LOG) private readonly audit: AuditLog,
    @inject(AUDIT_PUBLIC_KEY_PEM) private readonly auditKeyPem: string,
    @inject(CLOCK) private readonly clock: Clock,
    @inject(CONFIG) private readonly config: ControlPlaneConfig,
    @inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Makes a join token for one component and name (default TTL 1 h, at most 24 h). */
  async createToken(
    params: { component: TokenComponent; name: string; ttl_seconds?: number },
    caller: AdminCaller,
  ) {
    const ttlSeconds = params.ttl_seconds ?? this.config.tokenTtl;
    if (ttlSeconds > this.config.tokenMaxTtl) {
      throw new InvalidSettingError(`ttl_seconds must be at most ${this.config.tokenMaxTtl}`);
    }
    const minted = await this.tokens.mint({
      component: params.component,
      name: params.name,
      ttlSeconds,
      createdBy: caller.spiffeId,
    });
    await this.record(caller, 'token.created', minted.spiffeId, {
      token_id: minted.tokenId,
      expires_at: rfc3339(minted.expiresAt),
    });
    this.logger.info('token created', {
      [LOG_FIELDS.tokenId]: minted.tokenId,
      [LOG_FIELDS.spiffeId]: minted.spiffeId,
    });

    return {
      token: minted.token,
      token_id: minted.tokenId,
      spiffe_id: minted.spiffeId,
      expires_at: rfc3339(minted.expiresAt),
    };
  }

  /** Every enrollment with its state: pending, active, void (confirm window passed), evicted. */
  async listEnrollments(caller: AdminCaller) {
    const now = nowSeconds(this.clock);
    const records = await this.store.listEnrollments();
    const enrollments = [];
    for (const record of records) {
      enrollments.push({
        enrollment_id: record.enrollmentId,
        spiffe_id: record.spiffeId,
        component: record.component,
        name: record.name,
        status: await this.statusOf(record, now),
        created_at: rfc3339(record.createdAt),
        confirm_by: rfc3339(record.confirmBy),
        confirmed_at: rfc3339OrNull(record.confirmedAt),
        last_serial: record.lastSerial,
        expires_at: rfc3339OrNull(record.lastExpiresAt),
      });
    }
    await this.record(caller, 'admin.enrollments_listed', null, { count: enrollments.length });

    return { enrollments };
  }

  /** Evicts a SPIFFE ID: its SVIDs are refused everywhere before they expire. */
  async evict(spiffeId: string, caller: AdminCaller) {
    if (parseSpiffeId(spiffeId).trustDomain !== this.config.trustDomain) {
      throw new InvalidSettingError(`spiffe_id must be of trust domain ${this.config.trustDomain}`);
    }
    const evictedAt = nowSeconds(this.clock);
    const enrollments = (await this.store.listEnrollments()).filter((e) => e.spiffeId === spiffeId);
    const serials = enrollments.flatMap((e) => (e.lastSerial ? [e.lastSerial] : []));
    await this.store.evict({ spiffeId, evictedAt, serials, actor: caller.spiffeId });
    await this.record(caller, 'identity.evicted', spiffeId, {
      serials: serials.join(','),
      enrollments: enrollments.length,
    });
    this.logger.info('identity evicted', { [LOG_FIELDS.spiffeId]: spiffeId });

    return { spiffe_id: spiffeId, evicted_at: rfc3339(evictedAt), serials };
  }

  /** The CA generations and bundle sequence. */
  async caStatus(caller: AdminCaller) {
    const status = describeCa(this.ca, this.config.trustDomain);
    await this.record(caller, 'admin.ca_status_read', null, {});

    return status;
  }

  /** Prepares (if needed) and activates a new CA generation now. */
  async rotateCa(caller: AdminCaller) {
    const transitions: CaTransition[] = await this.ca.rotate();
    await this.record(caller, 'admin.ca_rotated', null, { transitions: transitions.length });
    await recordCaTransitions(this.audit, transitions, caller.spiffeId);

    return {
      transitions: transitions.map((t) => ({ kind: t.kind, generation_id: t.generationId })),
      ca: describeCa(this.ca, this.config.trustDomain),
    };
  }

  /** One page of audit records; the read itself is recorded after the page is taken. */
  async readAudit(query: { after?: string; limit?: string }, caller: AdminCaller) {
    const after = query.after === undefined ? 0 : Number(query.after);
    const limit = query.limit === undefined ? AUDIT_PAGE_DEFAULT : Number(query.limit);
    if (limit < 1 || limit > AUDIT_PAGE_DEFAULT) {
      throw new InvalidSettingError(`limit must be between 1 and ${AUDIT_PAGE_DEFAULT}`);
    }
    const page = await this.audit.list(after, limit);
    await this.record(caller, 'admin.audit_read', null, { after, count: page.records.length });

    return { records: page.records, next_after: page.nextAfter };
  }

  /** The public key that verifies audit checkpoints. */
  async auditKey(caller: AdminCaller) {
    await this.record(caller, 'admin.audit_key_read', null, {});

    return { algorithm: 'ES256' as const, public_key_pem: this.auditKeyPem };
  }

  private async statusOf(record: EnrollmentRecord, now: number) {
    if (await this.policy.isEnrollmentEvicted(record)) return 'evicted' as const;
    if (record.status === 'active') return 'active' as const;

    return record.confirmBy > now ? ('pending' as const) : ('void' as const);
  }

  private async record(
    caller: AdminCaller,
    type: string,
    subject: string | null,
    evidence: Record<string, string | number | boolean | null>,
  ): Promise<void> {
    await this.audit.append({
      type,
      actor: caller.spiffeId,
      subject,
      outcome: 'success',
      reason: null,
      evidence: { ...evidence, request_id: caller.requestId },
    });
  }
}
