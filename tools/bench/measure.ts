/** One measured operation: how many runs were made and how long they took. */
export interface Measurement {
  name: string;
  runs: number;
  totalMs: number;
}

/** Microseconds per run. */
export function microsPerRun(m: Measurement): number {
  return (m.totalMs * 1000) / m.runs;
}

/**
 * Runs `op` repeatedly, after a short warm-up, until `maxRuns` runs or `maxMs` milliseconds,
 * whichever comes first. Both bounds keep every loop finite.
 */
export async function measure(
  name: string,
  op: () => unknown | Promise<unknown>,
  opts: { maxRuns?: number; maxMs?: number; warmup?: number } = {},
): Promise<Measurement> {
  const maxRuns = opts.maxRuns ?? 5000;
  const maxMs = opts.maxMs ?? 2000;
  for (let i = 0; i < (opts.warmup ?? 20); i++) await op();

  const start = process.hrtime.bigint();
  const deadline = start + BigInt(maxMs) * 1_000_000n;
  let runs = 0;
  let now = start;
  while (runs < maxRuns && now < deadline) {
    await op();
    runs++;
    now = process.hrtime.bigint();
  }

  return { name, runs, totalMs: Number(now - start) / 1e6 };
}

/** A table row: figure, throughput, and the ratio against the baseline of the same run. */
export function formatRow(m: Measurement, baseline: Measurement): string {
  const us = microsPerRun(m);
  const ratio = us / microsPerRun(baseline);
  const perSecond = Math.round(1e6 / us);
  return [
    m.name.padEnd(50),
    `${us.toFixed(1).padStart(9)} us/op`,
    `${String(perSecond).padStart(8)} op/s`,
    `${ratio.toFixed(2).padStart(7)}x baseline`,
    `(${m.runs} runs)`,
  ].join('  ');
}
