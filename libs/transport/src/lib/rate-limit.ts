import type { Request, RequestHandler } from 'express';

import { WireError } from './wire-error';

/** The store operation behind a limiter (the Store port's `hitRateLimit` fits). */
export type RateLimitHit = (
  bucket: string,
  key: string,
  limit: { points: number; durationSeconds: number },
) => Promise<{ allowed: boolean; retryAfterSeconds: number }>;

export interface RateLimitOptions {
  /** Name of the limit, e.g. `enroll_challenge`. */
  bucket: string;
  /** Requests allowed per key in each window. */
  points: number;
  durationSeconds: number;
  /** What is limited: client address, token id, peer SPIFFE ID. */
  key: (req: Request) => string;
  hit: RateLimitHit;
}

/**
 * Counts one hit per request against `bucket` and `key(req)`; over the limit it answers
 * 429 `rate_limited` with `Retry-After` (whole seconds). A store failure propagates (503).
 */
export function rateLimit(opts: RateLimitOptions): RequestHandler {
  const limit = { points: opts.points, durationSeconds: opts.durationSeconds };

  return async (req, _res, next) => {
    const result = await opts.hit(opts.bucket, opts.key(req), limit);
    if (!result.allowed) {
      throw new WireError('rate_limited', 'too many requests', {
        retryAfterSeconds: Math.max(1, Math.ceil(result.retryAfterSeconds)),
      });
    }

    next();
  };
}
