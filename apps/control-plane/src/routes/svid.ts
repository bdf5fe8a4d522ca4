import { inject, injectable } from 'tsyringe';

import { validateBody } from '@zen/transport';

import { signedCaller } from '../lib/route-spec';
import type { RouteSpec } from '../lib/route-spec';
import { SvidService } from '../lib/svid-service';
import { recoverRequestSchema, renewRequestSchema, svidResultSchema } from '../lib/wire-schemas';

import { errorResponses } from './responses';

/** Renewal (mTLS + signed) and recovery after an expiry (server-auth TLS only). */
@injectable()
export class SvidRoutes {
  constructor(@inject(SvidService) private readonly svids: SvidService) {}

  routes(): RouteSpec[] {
    return [
      {
        method: 'post',
        path: '/v1/svid/renew',
        summary: 'Renew the caller SVID from a CSR (usually a new key)',
        tag: 'svid',
        auth: 'signed',
        request: { body: renewRequestSchema },
        responses: {
          200: { description: 'the new SVID', schema: svidResultSchema },
          ...errorResponses(400, 401, 403, 413, 503),
        },
        handle: async (req, res) => {
          const body = validateBody(renewRequestSchema, req);
          res.json(await this.svids.renew(body.csr, signedCaller(req)));
        },
      },
      {
        method: 'post',
        path: '/v1/svid/recover',
        summary: 'Re-issue for an SVID that expired within the recovery window',
        tag: 'svid',
        auth: 'public',
        request: { body: recoverRequestSchema },
        responses: {
          200: { description: 'the new SVID', schema: svidResultSchema },
          ...errorResponses(400, 401, 403, 413, 503),
        },
        handle: async (req, res) => {
          const body = validateBody(recoverRequestSchema, req);
          res.json(await this.svids.recover(body, req.requestId));
        },
      },
    ];
  }
}
