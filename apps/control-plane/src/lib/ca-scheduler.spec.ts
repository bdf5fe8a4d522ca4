import { readFileSync } from 'node:fs';

import { parsePemCertificates } from '@zen/identity';

import { TestControlPlane } from '../testing/harness';

import { CaScheduler } from './ca-scheduler';
import { Metrics } from './metrics';
import { statePaths } from './state-dir';

describe('CaScheduler', () => {
  it('prepares at half the CA life, activates near its end, refreshes bundle files', async () => {
    const cp = await TestControlPlane.start({ caTtl: '6h', svidTtl: '10m', adminTtl: '1h' });
    try {
      const scheduler = cp.container.resolve(CaScheduler);
      const bundlePath = statePaths(cp.config.stateDir).adminBundle;
      expect(parsePemCertificates(readFileSync(bundlePath, 'utf8'))).toHaveLength(1);

      cp.clock.advanceSeconds(3 * 3600 + 60);
      await scheduler.tick();
      const prepared = await cp.lastAudit('ca.key_prepared');
      cp.clock.advanceSeconds(2 * 3600);
      await scheduler.tick();
      const activated = await cp.lastAudit('ca.key_activated');

      expect(prepared).toMatchObject({ actor: null, outcome: 'success' });
      expect(activated?.evidence?.generation_id).toBe(prepared?.evidence?.generation_id);
      expect(parsePemCertificates(readFileSync(bundlePath, 'utf8'))).toHaveLength(2);
      const metrics = await cp.container.resolve(Metrics).registry.metrics();
      expect(metrics).toMatch(/zen_ca_generation_state\{generation="[^"]+",state="old"\} 1/);
    } finally {
      await cp.close();
    }
  });

  it('keeps answering admin steps after its own timers have fired', async () => {
    const cp = await TestControlPlane.start();
    const scheduler = cp.container.resolve(CaScheduler);
    await scheduler.close();
    const fired: (() => void)[] = [];
    const spy = jest.spyOn(global, 'setInterval').mockImplementation(((fn: () => void) => {
      fired.push(fn);
      return { unref: () => undefined } as unknown as NodeJS.Timeout;
    }) as unknown as typeof setInterval);
    try {
      scheduler.start();
      for (const step of fired) step();

      const outcome = await Promise.race([
        scheduler.afterRotation().then(() => 'done'),
        new Promise((r) => setTimeout(() => r('stuck'), 5000).unref()),
      ]);

      expect(fired).toHaveLength(2);
      expect(outcome).toBe('done');
    } finally {
      spy.mockRestore();
      await cp.close();
    }
  });
});
