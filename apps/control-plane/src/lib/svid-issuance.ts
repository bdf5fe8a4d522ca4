import { inject, injectable } from 'tsyringe';

import type { CaManager, IssuedSvid } from '@zen/ca';
import { CLOCK, nowSeconds } from '@zen/config';
import type { Clock } from '@zen/config';
import { trustBundleToPem } from '@zen/identity';
import { STORE } from '@zen/store';
import type { Store } from '@zen/store';

import { CONFIG } from './config';
import type { ControlPlaneConfig } from './config';
import { Metrics } from './metrics';
import { CA_MANAGER } from './tokens';
import { rfc3339 } from './wire-time';

/** The SVID part of an enrollment, renewal or recovery answer, as sent on the wire. */
export interface SvidAnswer {
  svid_pem: string;
  bundle_pem: string;
  bundle_sequence: number;
  expires_at: string;
  renew_after: string;
}

export interface IssueParams {
  operation: 'enroll' | 'renew' | 'recover';
  publicKeySpki: Buffer;
  spiffeId: string;
  enrollmentId: string;
}

/**
 * Issues a component SVID from the active CA generation and records it (serial, certificate
 * hash, key hash) so renewals, recovery and eviction can find it later.
 */
@injectable()
export class SvidIssuance {
  constructor(
    @inject(CA_MANAGER) private readonly ca: CaManager,
    @inject(STORE) private readonly store: Store,
    @inject(CLOCK) private readonly clock: Clock,
    @inject(Metrics) private readonly metrics: Metrics,
    @inject(CONFIG) private readonly config: ControlPlaneConfig,
  ) {}

  /** Issues and records one SVID; returns the certificate and the wire answer. */
  async issue(params: IssueParams): Promise<{ svid: IssuedSvid; answer: SvidAnswer }> {
    const now = nowSeconds(this.clock);
    const stop = this.metrics.startIssuance(params.operation);
    const svid = await this.ca.issuer().issueSvid({
      publicKeySpki: params.publicKeySpki,
      spiffeId: params.spiffeId,
      ttlSeconds: this.config.svidTtl,
      nowSeconds: now,
    });
    stop();

    const record = {
      serial: svid.serial,
      spiffeId: params.spiffeId,
      enrollmentId: params.enrollmentId,
      certSha256: svid.certSha256,
      publicKeySha256: svid.publicKeySha256,
      notAfter: svid.notAfter,
    };
    // The record outlives the SVID by the recovery window: recovery looks the expired one up.
    await this.store.recordSvid(record, svid.notAfter + this.config.recoveryWindow);

    return { svid, answer: this.answer(svid, now) };
  }

  private answer(svid: IssuedSvid, now: number): SvidAnswer {
    const bundle = this.ca.bundle();
    const renewAfter = now + Math.max(1, Math.floor((svid.notAfter - now) / 2));

    return {
      svid_pem: svid.chainPem,
      bundle_pem: trustBundleToPem(bundle),
      bundle_sequence: bundle.sequence,
      expires_at: rfc3339(svid.notAfter),
      renew_after: rfc3339(renewAfter),
    };
  }
}
