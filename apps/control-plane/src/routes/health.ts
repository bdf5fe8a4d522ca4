import { inject, injectable } from 'tsyringe';

import type { CaManager } from '@zen/ca';
import { CLOCK, nowSeconds } from '@zen/config';
import type { Clock } from '@zen/config';
import { STORE } from '@zen/store';
import type { Store } from '@zen/store';
import { WireError } from '@zen/transport';

import { hasActiveCa } from '../lib/ca-status';
import { Metrics } from '../lib/metrics';
import type { RouteSpec } from '../lib/route-spec';
import { CA_MANAGER } from '../lib/tokens';
import { healthSchema } from '../lib/wire-schemas';

import { errorResponses } from './responses';

/** Liveness, readiness, Prometheus metrics. */
@injectable()
export class HealthRoutes {
  constructor(
    @inject(STORE) private readonly store: Store,
    @inject(CA_MANAGER) private readonly ca: CaManager,
    @inject(Metrics) private readonly metrics: Metrics,
    @inject(CLOCK) private readonly clock: Clock,
  ) {}

  routes(): RouteSpec[] {
    return [
      {
        method: 'get',
        path: '/healthz',
        summary: 'Liveness',
        tag: 'health',
        auth: 'public',
        responses: { 200: { description: 'alive', schema: healthSchema } },
        handle: async (_req, res) => {
          res.json({ status: 'ok' });
        },
      },
      {
        method: 'get',
        path: '/readyz',
        summary: 'Readiness: the store answers and a CA generation is active',
        tag: 'health',
        auth: 'public',
        responses: { 200: { description: 'ready', schema: healthSchema }, ...errorResponses(503) },
        handle: async (_req, res) => {
          await this.store.ping();
          if (!hasActiveCa(this.ca)) throw new WireError('unavailable', 'no active CA');
          res.json({ status: 'ready' });
        },
      },
      {
        method: 'get',
        path: '/metrics',
        summary: 'Prometheus metrics',
        tag: 'health',
        auth: 'public',
        responses: { 200: { description: 'text exposition format', mediaType: 'text/plain' } },
        handle: async (_req, res) => {
          await this.metrics.refreshExpiring(this.store, nowSeconds(this.clock));
          res.type(this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
        },
      },
    ];
  }
}
