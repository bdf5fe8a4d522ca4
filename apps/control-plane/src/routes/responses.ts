import type { RouteResponse } from '../lib/route-spec';
import { errorBodySchema } from '../lib/wire-schemas';

const DESCRIPTIONS: Record<number, string> = {
  400: 'invalid_request or csr_rejected',
  401:
    'authentication failed (enrollment_denied, unauthenticated, signature_invalid, replay, ' +
    'skew, identity_mismatch)',
  403: 'forbidden',
  404: 'not_found',
  413: 'payload_too_large',
  429: 'rate_limited',
  503: 'unavailable',
};

/** The documented error answers of a route, all with the one error body. */
export function errorResponses(...statuses: number[]): Record<number, RouteResponse> {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: DESCRIPTIONS[status], schema: errorBodySchema },
    ]),
  );
}
