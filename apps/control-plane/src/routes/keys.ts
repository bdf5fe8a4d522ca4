import { inject, injectable } from 'tsyringe';

import { signedCaller } from '../lib/route-spec';
import type { RouteSpec } from '../lib/route-spec';
import { VerifierService } from '../lib/verifier-service';
import { evictionListSchema, keyParamsSchema, verifierKeySchema } from '../lib/wire-schemas';

import { errorResponses } from './responses';

/** What verifiers read: HMAC keys by id and the eviction list (ingester and egress only). */
@injectable()
export class KeysRoutes {
  constructor(@inject(VerifierService) private readonly verifier: VerifierService) {}

  routes(): RouteSpec[] {
    return [
      {
        method: 'get',
        path: '/v1/keys/:hmac_key_id',
        summary: 'HMAC key of an identity, for verifiers',
        tag: 'verifiers',
        auth: 'signed',
        request: { params: keyParamsSchema },
        responses: {
          200: { description: 'the key', schema: verifierKeySchema },
          ...errorResponses(401, 403, 404, 503),
        },
        handle: async (req, res) => {
          const keyId = String(req.params['hmac_key_id']);
          res.json(await this.verifier.lookupKey(keyId, signedCaller(req)));
        },
      },
      {
        method: 'get',
        path: '/v1/evictions',
        summary: 'Evicted SPIFFE IDs and serials, for verifiers',
        tag: 'verifiers',
        auth: 'signed',
        responses: {
          200: { description: 'the eviction list', schema: evictionListSchema },
          ...errorResponses(401, 403, 503),
        },
        handle: async (req, res) => {
          res.json(await this.verifier.listEvictions(signedCaller(req)));
        },
      },
    ];
  }
}
