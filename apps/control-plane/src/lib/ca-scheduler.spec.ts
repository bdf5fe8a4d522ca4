import { readFileSync } from 'node:fs';

import { parsePemCertificates } from '@zen/identity';

import { TestControlPlane } from '../testing/harness';

import { CaScheduler } from './ca-scheduler';
import { Metrics } from './metrics';
import { statePaths } from './state-dir';

describe('CaScheduler', () => {
  it('prepares at half the CA lifetime, activates near its end, and refreshes bundle files', async () => {
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
});
