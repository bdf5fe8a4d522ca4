import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { injectable } from 'tsyringe';

import type { Store } from '@zen/store';

const EXPIRY_WINDOWS_SECONDS: Record<string, number> = { '10m': 600, '1h': 3600 };

/** Outcome of an enrollment attempt as counted by `zen_enrollments_total`. */
export type EnrollmentOutcome = 'accepted' | 'resumed' | 'denied' | 'rejected' | 'error';

/**
 * The control plane's Prometheus metrics, in a registry of their own (never the global one),
 * so several control planes in one test process do not collide.
 */
@injectable()
export class Metrics {
  readonly registry = new Registry();

  readonly enrollments = new Counter({
    name: 'zen_enrollments_total',
    help: 'Enrollment attempts by outcome and reason.',
    labelNames: ['outcome', 'reason'] as const,
    registers: [this.registry],
  });

  readonly challenges = new Counter({
    name: 'zen_enrollment_challenges_total',
    help: 'Enrollment challenges (nonces) issued.',
    registers: [this.registry],
  });

  readonly issuanceSeconds = new Histogram({
    name: 'zen_svid_issuance_seconds',
    help: 'Time to issue an SVID from a CSR, by operation.',
    labelNames: ['operation'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });

  readonly renewals = new Counter({
    name: 'zen_svid_renewals_total',
    help: 'Renewals and recoveries by operation, outcome and reason.',
    labelNames: ['operation', 'outcome', 'reason'] as const,
    registers: [this.registry],
  });

  readonly caSlotState = new Gauge({
    name: 'zen_ca_generation_state',
    help: 'CA generations: 1 for the state each generation is in.',
    labelNames: ['generation', 'state'] as const,
    registers: [this.registry],
  });

  readonly bundleSequence = new Gauge({
    name: 'zen_trust_bundle_sequence',
    help: 'Sequence number of the trust bundle served.',
    registers: [this.registry],
  });

  readonly svidsExpiring = new Gauge({
    name: 'zen_svids_expiring',
    help: 'Active identities whose latest SVID expires within the window.',
    labelNames: ['within'] as const,
    registers: [this.registry],
  });

  /** Measures one issuance; returns the function that stops the timer. */
  startIssuance(operation: 'enroll' | 'renew' | 'recover'): () => void {
    const stop = this.issuanceSeconds.startTimer({ operation });
    return () => {
      stop();
    };
  }

  // Limitation: the expiring-SVID gauge lists every enrollment at each scrape, so its cost
  // grows with the number of identities.
  /** Recomputes the expiring-SVID gauge from the store. */
  async refreshExpiring(store: Store, nowSeconds: number): Promise<void> {
    const enrollments = await store.listEnrollments();
    for (const [within, seconds] of Object.entries(EXPIRY_WINDOWS_SECONDS)) {
      const count = enrollments.filter(
        (e) =>
          e.status === 'active' &&
          e.lastExpiresAt !== null &&
          e.lastExpiresAt > nowSeconds &&
          e.lastExpiresAt <= nowSeconds + seconds,
      ).length;
      this.svidsExpiring.set({ within }, count);
    }
  }
}
