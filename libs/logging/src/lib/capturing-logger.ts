import { Writable } from 'node:stream';

import { createLogger } from './create-logger';
import type { Logger } from './logger';

/** A logger whose output is kept in memory, and readers of that output. */
export interface CapturingLogger {
  logger: Logger;
  /** Every line written so far, parsed from JSON. */
  lines(): Record<string, unknown>[];
  /** Everything written so far, exactly as the stream received it. */
  text(): string;
}

/**
 * A real {@link createLogger} logger (same formats, same redaction) writing to memory at
 * level `debug`, for specs that assert on what would be logged. Writes are synchronous.
 */
export function createCapturingLogger(component = 'test'): CapturingLogger {
  let output = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback): void {
      output += chunk.toString();
      callback();
    },
  });
  const logger = createLogger({ component, instance: 'test-instance', level: 'debug', stream });

  return {
    logger,
    lines: () =>
      output
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    text: () => output,
  };
}
