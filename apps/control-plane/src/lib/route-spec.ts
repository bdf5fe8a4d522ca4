import type { Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';

import { validateBody } from '@zen/transport';

import type { SignedCaller } from './signed-caller';

/** How a route authenticates its caller. */
export type RouteAuth = 'public' | 'signed' | 'admin';

/** One documented response of a route. */
export interface RouteResponse {
  description: string;
  schema?: z.ZodType;
  /** Default `application/json`. */
  mediaType?: string;
}

/**
 * One endpoint: the express registration and the OpenAPI operation are both made from this,
 * with the same zod schemas that validate the input.
 */
export interface RouteSpec {
  method: 'get' | 'post';
  /** Express path, `:name` for parameters. */
  path: string;
  summary: string;
  tag: string;
  auth: RouteAuth;
  request?: { body?: z.ZodType; query?: z.ZodObject; params?: z.ZodObject };
  responses: Record<number, RouteResponse>;
  /** Middleware that runs before authentication (rate limits). */
  before?: RequestHandler[];
  handle: (req: Request, res: Response) => Promise<void>;
}

/** Parses query or path parameters with a schema: 400 `invalid_request` naming the field. */
export function validateInput<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  return validateBody(schema, { body: value } as Request);
}

/** The authenticated signer of a request that passed the `signed` guard. */
export function signedCaller(req: Request): SignedCaller {
  if (!req.peer || !req.signedKeyId) throw new TypeError('route is missing its signed guard');

  return {
    spiffeId: req.peer.spiffeId,
    serial: req.peer.serial,
    hmacKeyId: req.signedKeyId,
    requestId: req.requestId,
  };
}

/** The admin behind a request that passed the `admin` guard. */
export function adminCaller(req: Request): { spiffeId: string; requestId: string } {
  if (!req.peer) throw new TypeError('route is missing its admin guard');

  return { spiffeId: req.peer.spiffeId, requestId: req.requestId };
}

/** Express path `/v1/keys/:id` as an OpenAPI path `/v1/keys/{id}`. */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}
