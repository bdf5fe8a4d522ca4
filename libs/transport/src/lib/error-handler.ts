import type { ErrorRequestHandler, RequestHandler, Response } from 'express';

import { LOG_FIELDS, stripControl } from '@zen/logging';
import type { Logger } from '@zen/logging';

import { ERROR_CODE_LOCAL } from './access-log';
import { REQUEST_ID_HEADER } from './request-id';
import { INTERNAL_ERROR_MESSAGE, WIRE_STATUS, WireError } from './wire-error';
import type { WireErrorCode } from './wire-error';

/** What the client sees of an error. */
export interface WireErrorView {
  code: WireErrorCode;
  message: string;
  retryAfterSeconds: number | null;
}

/**
 * Decides what the client sees of any thrown value: a `WireError` as it is (but an
 * `internal` one always with the generic message); anything with `code === 'store_unavailable'`
 * as 503 `unavailable`; the 4xx errors express itself raises (malformed URI and the like) as
 * their wire code with a fixed message; everything else as 500 `internal`, "internal error".
 * A numeric `retryAfterSeconds` on the error becomes `Retry-After`.
 */
export function toWireErrorView(err: unknown): WireErrorView {
  const retryAfterSeconds = readRetryAfter(err);
  if (err instanceof WireError) {
    const message = err.code === 'internal' ? INTERNAL_ERROR_MESSAGE : err.message;
    return { code: err.code, message, retryAfterSeconds };
  }
  if (readProperty(err, 'code') === 'store_unavailable') {
    return { code: 'unavailable', message: 'service unavailable', retryAfterSeconds };
  }
  const status = readProperty(err, 'status') ?? readProperty(err, 'statusCode');
  if (status === 400)
    return { code: 'invalid_request', message: 'malformed request', retryAfterSeconds };
  if (status === 404) return { code: 'not_found', message: 'not found', retryAfterSeconds };
  if (status === 413) {
    return { code: 'payload_too_large', message: 'request body too large', retryAfterSeconds };
  }

  return { code: 'internal', message: INTERNAL_ERROR_MESSAGE, retryAfterSeconds };
}

/** Answers every request no route took with 404 `not_found` (the path is not echoed). */
export function notFoundHandler(): RequestHandler {
  return (_req, _res, next) => next(new WireError('not_found', 'no such endpoint'));
}

/**
 * The one error middleware: writes `{"error":{"code","message"}}` with `X-Request-Id`, logs a
 * 5xx once at error (with the stack of an unexpected error, server side only) and leaves 4xx
 * to the access line. No stack or library text reaches the client.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const view = toWireErrorView(err);
    const status = WIRE_STATUS[view.code];
    if (status >= 500) logServerError(logger, err, view.code, req.requestId);
    else logRefusal(logger, err, view.code, req.requestId);

    // Too late for an error body: cut the connection so the client sees a failure.
    if (res.headersSent) {
      req.socket.destroy();
      return;
    }

    sendWireError(res, status, view, req.requestId);
  };
}

/** Writes the JSON error body; used by the error middleware only. */
function sendWireError(res: Response, status: number, view: WireErrorView, requestId: string) {
  res.locals[ERROR_CODE_LOCAL] = view.code;
  res.status(status);
  res.setHeader(REQUEST_ID_HEADER, requestId);
  res.setHeader('Cache-Control', 'no-store');
  if (view.retryAfterSeconds !== null) res.setHeader('Retry-After', String(view.retryAfterSeconds));
  res.json({ error: { code: view.code, message: view.message } });
}

function logServerError(logger: Logger, err: unknown, code: WireErrorCode, requestId: string) {
  const fields: Record<string, unknown> = {
    [LOG_FIELDS.requestId]: requestId,
    [LOG_FIELDS.code]: code,
  };
  if (err instanceof Error) {
    fields['error_name'] = err.name;
    fields['error_message'] = stripControl(err.message);
    const errCode = readProperty(err, 'code');
    if (typeof errCode === 'string') fields['error_code'] = errCode;
    if (!(err instanceof WireError) || err.cause !== undefined) fields['stack'] = stackOf(err);
  } else {
    fields['error_type'] = typeof err;
  }
  logger.error(code === 'unavailable' ? 'request failed: unavailable' : 'request failed', fields);
}

/** The reason behind a 4xx (e.g. which SVID check failed), for troubleshooting at debug. */
function logRefusal(logger: Logger, err: unknown, code: WireErrorCode, requestId: string) {
  const reason = readProperty(readProperty(err, 'cause'), 'code');
  if (typeof reason !== 'string') return;
  logger.debug('request refused', {
    [LOG_FIELDS.requestId]: requestId,
    [LOG_FIELDS.code]: code,
    reason: stripControl(reason),
  });
}

function stackOf(err: Error): string | undefined {
  const cause = err instanceof WireError ? err.cause : err;

  return cause instanceof Error ? cause.stack : err.stack;
}

function readRetryAfter(err: unknown): number | null {
  const value = readProperty(err, 'retryAfterSeconds');
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return null;

  return Math.max(1, Math.ceil(value));
}

function readProperty(value: unknown, key: string): unknown {
  if (value === null || typeof value !== 'object') return undefined;

  return (value as Record<string, unknown>)[key];
}
