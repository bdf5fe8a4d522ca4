/** Every failure code of `@zen/logging`. */
export type LoggingErrorCode = 'logging_level_invalid';

/** Base class of the coded errors thrown by `@zen/logging`. */
export abstract class LoggingError extends Error {
  abstract readonly code: LoggingErrorCode;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The log level asked for (usually from configuration) is not one of `LOG_LEVELS`. */
export class LogLevelError extends LoggingError {
  readonly code = 'logging_level_invalid' as const;
  readonly level: string;

  constructor(level: string) {
    super(`unknown log level ${JSON.stringify(level)}`);
    this.level = level;
  }
}
