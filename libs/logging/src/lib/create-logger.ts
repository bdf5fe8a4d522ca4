import { hostname } from 'node:os';

import winston, { format } from 'winston';

import { LogLevelError } from './errors';
import type { Logger } from './logger';
import { redactedJson } from './redaction-format';

/** The levels a logger accepts, most severe first (winston's npm levels). */
export const LOG_LEVELS = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'] as const;

/** A level name of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Options of {@link createLogger}. */
export interface CreateLoggerOptions {
  /** The component name on every line, such as `control-plane`. */
  component: string;
  /** Which running copy wrote the line; `<hostname>-<pid>` by default. */
  instance?: string;
  /** Lowest level written; `info` by default. */
  level?: string;
  /** Where JSON lines go; standard output by default. */
  stream?: NodeJS.WritableStream;
}

/**
 * Builds the one winston logger of an app (STYLE.md section 7): one JSON object per line with
 * an ISO `timestamp`, `level`, `message`, `component` and `instance`; errors carry their
 * stack; redaction (`redactSecrets`) runs as the last format, over every field including
 * child-logger metadata. Throws `LogLevelError` (`logging_level_invalid`) for an unknown level.
 */
export function createLogger(opts: CreateLoggerOptions): Logger {
  const level = opts.level ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(level)) throw new LogLevelError(level);

  return winston.createLogger({
    level,
    levels: winston.config.npm.levels,
    defaultMeta: {
      component: opts.component,
      instance: opts.instance ?? `${hostname()}-${process.pid}`,
    },
    format: format.combine(format.errors({ stack: true }), format.timestamp(), redactedJson()),
    transports: [new winston.transports.Stream({ stream: opts.stream ?? process.stdout })],
  });
}
