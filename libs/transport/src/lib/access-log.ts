import type { Request, RequestHandler, Response } from 'express';

import { LOG_FIELDS, stripControl } from '@zen/logging';
import type { Logger } from '@zen/logging';

const MAX_LOGGED_PATH = 256;

/** Where the error middleware leaves the wire code for the access line. */
export const ERROR_CODE_LOCAL = 'zenErrorCode';

/**
 * Writes one `request completed` line at info per request, from an allow-list of fields:
 * method, route pattern, path without query (CR/LF and other control characters removed),
 * status, duration, request id, peer SPIFFE ID and the wire error code. Headers, query
 * strings and bodies are never logged.
 */
export function accessLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const startNs = process.hrtime.bigint();
    let written = false;
    const write = (): void => {
      if (written) return;
      written = true;
      const durationMs = Number(process.hrtime.bigint() - startNs) / 1e6;
      logger.info(res.writableFinished ? 'request completed' : 'request aborted', {
        ...accessFields(req, res),
        [LOG_FIELDS.durationMs]: Math.round(durationMs * 10) / 10,
      });
    };
    res.on('finish', write);
    res.on('close', write);

    next();
  };
}

function accessFields(req: Request, res: Response): Record<string, unknown> {
  const route = req.route as { path?: unknown } | undefined;
  const routePath = typeof route?.path === 'string' ? req.baseUrl + route.path : null;
  const code: unknown = res.locals[ERROR_CODE_LOCAL];

  return {
    method: stripControl(req.method),
    route: routePath,
    path: stripControl(pathOnly(req.originalUrl)).slice(0, MAX_LOGGED_PATH),
    [LOG_FIELDS.status]: res.statusCode,
    [LOG_FIELDS.requestId]: req.requestId,
    [LOG_FIELDS.spiffeId]: req.peer?.spiffeId ?? null,
    [LOG_FIELDS.code]: typeof code === 'string' ? code : null,
  };
}

function pathOnly(target: string): string {
  const query = target.indexOf('?');

  return query === -1 ? target : target.slice(0, query);
}
