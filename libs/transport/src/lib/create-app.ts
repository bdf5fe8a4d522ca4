import express from 'express';
import type { Express } from 'express';

import type { Logger } from '@zen/logging';

import { accessLog } from './access-log';
import { errorHandler, notFoundHandler } from './error-handler';
import { DEFAULT_BODY_LIMIT_BYTES, jsonBody } from './json-body';
import './peer-identity';
import { requestId } from './request-id';

export interface CreateAppOptions {
  logger: Logger;
  /** Largest accepted request body; default 64 KiB. */
  bodyLimitBytes?: number;
}

/**
 * Makes an express app with the request pipeline every Zen Mesh server shares: request id,
 * access log line, raw body capture and JSON parsing (413 / 400). Add routes, then call
 * `finishApp`.
 */
export function createApp(opts: CreateAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', false);

  app.use(requestId());
  app.use(accessLog(opts.logger));
  app.use(jsonBody({ limitBytes: opts.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES }));

  return app;
}

/** Adds the 404 `not_found` handler and the one error middleware; call after every route. */
export function finishApp(app: Express, logger: Logger): void {
  app.use(notFoundHandler());
  app.use(errorHandler(logger));
}
