/**
 * The winston logger of each app, with fixed field names and secret redaction.
 * Other projects receive a `Logger` through `LOGGER` and never import winston.
 */

export { createLogger, LOG_LEVELS } from './lib/create-logger';
export type { CreateLoggerOptions, LogLevel } from './lib/create-logger';

export { LOGGER } from './lib/logger';
export type { Logger } from './lib/logger';

export { LOG_FIELDS } from './lib/log-fields';

export { isSecretKey, redactSecrets, redactString } from './lib/redact';
export { stripControl } from './lib/strip-control';

export { LoggingError, LogLevelError } from './lib/errors';
export type { LoggingErrorCode } from './lib/errors';
