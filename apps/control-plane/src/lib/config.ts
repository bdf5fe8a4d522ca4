import type { InjectionToken } from 'tsyringe';
import { z } from 'zod';

import { parseDuration } from '@zen/config';

/** A duration setting: integer seconds or text such as `90s`, `10m`, `1h`, `7d`. */
const duration = z
  .union([z.number().int().positive(), z.string().min(1)])
  .transform((value, ctx) => {
    if (typeof value === 'number') return value;
    try {
      return parseDuration(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: `not a duration: ${value}` });
      return z.NEVER;
    }
  });

/** A list setting: a JSON array, or comma-separated text from an env variable or flag. */
const stringList = z
  .union([z.array(z.string()), z.string()])
  .transform((value) =>
    (Array.isArray(value) ? value : value.split(','))
      .map((item) => item.trim())
      .filter((item) => item !== ''),
  );

const count = z.coerce.number().int().positive();

/** The control plane configuration, validated once at start (defaults < file < env < flags). */
export const controlPlaneConfigSchema = z.object({
  stateDir: z.string().min(1),
  listen: z
    .string()
    .regex(/^(\[[0-9a-fA-F:.]+\]|[^\s:]+):\d{1,5}$/, 'must be host:port')
    .default('127.0.0.1:8443'),
  name: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/)
    .default('cp-1'),
  /** Extra names of the serving SVID, beside `localhost` and `127.0.0.1`. */
  san: stringList.default([]),
  store: z.enum(['memory', 'redis']).default('memory'),
  redisUrl: z.string().min(1).default('redis://127.0.0.1:6379'),
  redisKeyPrefix: z.string().min(1).optional(),
  trustDomain: z.string().min(1).default('zen.mesh'),
  signer: z.enum(['memory', 'file']).default('file'),
  svidTtl: duration.default(3600),
  caTtl: duration.default(365 * 86400),
  adminTtl: duration.default(30 * 86400),
  tokenTtl: duration.default(3600),
  tokenMaxTtl: duration.default(86400),
  confirmWindow: duration.default(600),
  nonceTtl: duration.default(60),
  /** How long the store keeps an expired token, so its denial is audited `token_expired`. */
  tokenRetention: duration.default(86400),
  /** How long the store keeps an expired nonce, so its denial is audited `nonce_expired`. */
  nonceRetention: duration.default(300),
  recoveryWindow: duration.default(7 * 86400),
  caTickInterval: duration.default(60),
  bundleRefreshInterval: duration.default(15),
  maxFailedMacs: count.default(5),
  rateLimitWindow: duration.default(60),
  rateLimitPerAddress: count.default(300),
  rateLimitPerToken: count.default(120),
  bodyLimitBytes: count.default(65536),
  logLevel: z.enum(['error', 'warn', 'info', 'debug']).default('info'),
});

/** The validated, defaulted configuration; every duration is in seconds. */
export type ControlPlaneConfig = z.infer<typeof controlPlaneConfigSchema>;

/** Injection token of the validated configuration. */
export const CONFIG: InjectionToken<ControlPlaneConfig> = Symbol('zen.controlPlane.Config');

/** Splits `host:port` (IPv6 hosts in brackets) into its parts. */
export function parseListen(listen: string): { host: string; port: number } {
  const at = listen.lastIndexOf(':');
  const host = listen.slice(0, at).replace(/^\[(.*)\]$/, '$1');

  return { host, port: Number(listen.slice(at + 1)) };
}
