import type { CaGenerationRecord } from './ca-state';

/** What the rotation schedule asks for at one instant. */
export interface CaScheduleDecision {
  /** Ids of old generations whose notAfter has passed: no live SVID can chain to them. */
  retire: string[];
  /** True when a successor should be prepared (none yet, half the active lifetime elapsed). */
  prepare: boolean;
  /** True when the successor should become active (a sixth of the active lifetime remains). */
  activate: boolean;
}

/**
 * The rotation schedule of PROTOCOL.md (prepared → active → old) as a pure function of the
 * generations and the time (Unix seconds). With no active generation at all, it asks to prepare
 * and activate at once. `activate` assumes a prepared generation exists or is being prepared.
 */
export function decideCaSchedule(
  generations: CaGenerationRecord[],
  nowSeconds: number,
): CaScheduleDecision {
  const retire = generations
    .filter((g) => g.state === 'old' && g.notAfter <= nowSeconds)
    .map((g) => g.id);
  const active = generations.find((g) => g.state === 'active');
  const prepared = generations.find((g) => g.state === 'prepared');
  if (!active) {
    return { retire, prepare: !prepared, activate: true };
  }

  const lifetime = active.notAfter - active.notBefore;
  const prepareAt = active.notBefore + Math.floor(lifetime / 2);
  const activateAt = active.notAfter - Math.floor(lifetime / 6);
  const prepare = !prepared && nowSeconds >= prepareAt;

  return { retire, prepare, activate: nowSeconds >= activateAt && (prepare || !!prepared) };
}
