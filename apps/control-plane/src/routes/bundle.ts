import { inject, injectable } from 'tsyringe';

import type { CaManager } from '@zen/ca';
import { trustBundleToPem, trustBundleToSpiffeJson } from '@zen/identity';

import { validateInput } from '../lib/route-spec';
import type { RouteSpec } from '../lib/route-spec';
import { CA_MANAGER } from '../lib/tokens';
import { spiffeBundleSchema, trustBundleQuerySchema } from '../lib/wire-schemas';

import { errorResponses } from './responses';

/** The trust bundle as SPIFFE bundle JSON or PEM (public). */
@injectable()
export class BundleRoutes {
  constructor(@inject(CA_MANAGER) private readonly ca: CaManager) {}

  routes(): RouteSpec[] {
    return [
      {
        method: 'get',
        path: '/v1/bundle',
        summary: 'Trust bundle (SPIFFE bundle JSON, or PEM with ?format=pem)',
        tag: 'bundle',
        auth: 'public',
        request: { query: trustBundleQuerySchema },
        responses: {
          200: { description: 'the trust bundle', schema: spiffeBundleSchema },
          ...errorResponses(400),
        },
        handle: async (req, res) => {
          const query = validateInput(trustBundleQuerySchema, req.query);
          const bundle = this.ca.bundle();
          if (query.format === 'pem') {
            res.type('application/x-pem-file').send(trustBundleToPem(bundle));
            return;
          }
          res.json(trustBundleToSpiffeJson(bundle));
        },
      },
    ];
  }
}
