import { RateLimiterRes } from 'rate-limiter-flexible';

import type { RateLimitResult } from './records';

/** One limiter per bucket and limit, shared by every key of that bucket. */
export function limiterName(bucket: string, points: number, durationSeconds: number): string {
  if (!Number.isInteger(points) || points < 1) {
    throw new TypeError(`rate limit points must be a positive integer, got ${points}`);
  }
  if (!Number.isInteger(durationSeconds) || durationSeconds < 1) {
    throw new TypeError(`rate limit duration must be a positive integer, got ${durationSeconds}`);
  }

  return `${bucket}:${points}:${durationSeconds}`;
}

/** Whether a rejection of `consume` is the limiter saying no (rather than a failure). */
export function isRateLimiterRes(value: unknown): value is RateLimiterRes {
  return value instanceof RateLimiterRes;
}

/** The store's answer for an allowed or refused hit. */
export function toRateLimitResult(allowed: boolean, res: RateLimiterRes): RateLimitResult {
  if (allowed) return { allowed, retryAfterSeconds: 0 };

  return { allowed, retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) };
}
