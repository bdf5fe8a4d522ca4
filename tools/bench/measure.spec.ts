import { formatRow, measure, microsPerRun } from './measure';

describe('measure', () => {
  it('stops at the run bound before the time bound', async () => {
    let calls = 0;

    const m = await measure('count', () => calls++, { maxRuns: 7, maxMs: 60_000, warmup: 3 });

    expect(m.runs).toBe(7);
    expect(calls).toBe(10);
  });

  it('stops at the time bound before the run bound', async () => {
    const m = await measure('slow', () => new Promise((r) => setImmediate(r)), {
      maxRuns: Number.MAX_SAFE_INTEGER,
      maxMs: 20,
      warmup: 0,
    });

    expect(m.runs).toBeGreaterThan(0);
    expect(m.runs).toBeLessThan(Number.MAX_SAFE_INTEGER);
  });

  it('reports the ratio against the baseline', () => {
    const baseline = { name: 'base', runs: 100, totalMs: 10 };
    const twice = { name: 'twice', runs: 50, totalMs: 10 };

    expect(microsPerRun(twice)).toBe(200);
    expect(formatRow(twice, baseline)).toContain('2.00x baseline');
  });
});
