import type { Request, RequestHandler } from 'express';

import type { Store } from '@zen/store';
import { rateLimit } from '@zen/transport';

import type { ControlPlaneConfig } from './config';

/**
 * The throttles of one unauthenticated enrollment endpoint: per source address and per token
 * id, each in its own bucket so a flood on one endpoint does not starve the next step.
 */
export function enrollmentRateLimits(
  endpoint: string,
  store: Store,
  config: ControlPlaneConfig,
): RequestHandler[] {
  const hit = store.hitRateLimit.bind(store);
  const durationSeconds = config.rateLimitWindow;

  return [
    rateLimit({
      bucket: `${endpoint}_address`,
      points: config.rateLimitPerAddress,
      durationSeconds,
      key: (req) => req.socket.remoteAddress ?? 'unknown',
      hit,
    }),
    rateLimit({
      bucket: `${endpoint}_token`,
      points: config.rateLimitPerToken,
      durationSeconds,
      key: tokenIdOf,
      hit,
    }),
  ];
}

// Only the first characters count: a malformed id must not grow the key without bound.
function tokenIdOf(req: Request): string {
  const body = req.body as { token_id?: unknown } | undefined;
  const fromBody = typeof body === 'object' && body !== null ? body.token_id : undefined;
  const value = fromBody ?? req.query['token_id'];

  return typeof value === 'string' ? value.slice(0, 32) : 'none';
}
