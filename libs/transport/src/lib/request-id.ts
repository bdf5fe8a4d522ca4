import { randomUUID } from 'node:crypto';

import type { RequestHandler } from 'express';

/** The header that carries the request id both ways. */
export const REQUEST_ID_HEADER = 'X-Request-Id';

const WELL_FORMED_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** True when a client-supplied request id may be reused as is (safe for logs and headers). */
export function isWellFormedRequestId(value: unknown): value is string {
  return typeof value === 'string' && WELL_FORMED_REQUEST_ID.test(value);
}

/**
 * Accepts a well-formed incoming `X-Request-Id` or makes a new one, stores it on
 * `req.requestId` and echoes it on the response before any handler runs, so that every
 * response, error or not, carries it.
 */
export function requestId(): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get(REQUEST_ID_HEADER);
    req.requestId = isWellFormedRequestId(incoming) ? incoming : randomUUID();
    res.setHeader(REQUEST_ID_HEADER, req.requestId);
    next();
  };
}
