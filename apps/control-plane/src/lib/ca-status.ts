import type { AuditLog } from '@zen/audit';
import type { CaManager, CaTransition } from '@zen/ca';

import type { Metrics } from './metrics';
import { rfc3339 } from './wire-time';

const AUDIT_TYPES: Record<CaTransition['kind'], string> = {
  prepared: 'ca.key_prepared',
  activated: 'ca.key_activated',
  retired: 'ca.key_retired',
};

/** The CA status as `GET /v1/admin/ca` sends it. */
export function describeCa(ca: CaManager, trustDomain: string) {
  const status = ca.status();

  return {
    trust_domain: trustDomain,
    bundle_sequence: status.sequence,
    generations: status.generations.map((g) => ({
      id: g.id,
      state: g.state,
      not_before: rfc3339(g.notBefore),
      not_after: rfc3339(g.notAfter),
      root_sha256: g.rootSha256,
    })),
  };
}

/** One audit record per CA key transition (prepared, activated, retired). */
export async function recordCaTransitions(
  audit: AuditLog,
  transitions: CaTransition[],
  actor: string | null,
): Promise<void> {
  for (const transition of transitions) {
    await audit.append({
      type: AUDIT_TYPES[transition.kind],
      actor,
      subject: null,
      outcome: 'success',
      reason: null,
      evidence: { generation_id: transition.generationId },
    });
  }
}

/** Sets the CA gauges: one series per generation and state, and the bundle sequence. */
export function updateCaGauges(ca: CaManager, metrics: Metrics): void {
  const status = ca.status();
  metrics.caSlotState.reset();
  for (const generation of status.generations) {
    metrics.caSlotState.set({ generation: generation.id, state: generation.state }, 1);
  }
  metrics.bundleSequence.set(status.sequence);
}

/** True when a generation is active, so the CA can issue. */
export function hasActiveCa(ca: CaManager): boolean {
  return ca.status().activeGenerationId !== null;
}
