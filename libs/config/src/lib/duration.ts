import { z } from 'zod';

import { ConfigError } from './errors';

const UNIT_SECONDS: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 };
const DURATION_SHAPE = /^([0-9]{1,16})([smhd]?)$/;
const EXPECTED =
  'must be a whole number of seconds or a number followed by s, m, h or d (90s, 10m, 1h, 7d)';

/**
 * Parses a duration into whole seconds: `'90s'`, `'10m'`, `'1h'`, `'7d'`, or plain seconds
 * `'300'`. Surrounding whitespace is ignored. Zero, negatives, fractions, other units,
 * compound forms (`'1h30m'`) and results beyond `Number.MAX_SAFE_INTEGER` are refused with a
 * `ConfigError` (`config_invalid`) whose message does not repeat the input.
 */
export function parseDuration(text: string): number {
  const problem = durationProblem(text);
  if (typeof problem === 'string') {
    throw new ConfigError([{ setting: 'duration', message: problem }]);
  }

  return problem.seconds;
}

/**
 * Zod schema of a duration setting: accepts a string for {@link parseDuration} or a positive
 * whole number of seconds, and outputs seconds. Zod 4 does not parse `.default()` values, so
 * give defaults in seconds: `zDuration().default(3600)`.
 */
export function zDuration(): z.ZodType<number, string | number> {
  return z.union([z.string(), z.number()]).transform((input, ctx) => {
    const problem = durationProblem(input);
    if (typeof problem === 'string') {
      ctx.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    }

    return problem.seconds;
  });
}

/** The reason `input` is not a duration, or its value in seconds. */
function durationProblem(input: unknown): string | { seconds: number } {
  if (typeof input === 'number') {
    if (!Number.isSafeInteger(input)) return 'must be a whole number of seconds';
    if (input <= 0) return 'must be greater than zero';
    return { seconds: input };
  }
  if (typeof input !== 'string') return EXPECTED;

  const text = input.trim();
  if (/^-[0-9]/.test(text)) return 'must not be negative';
  const match = DURATION_SHAPE.exec(text);
  if (match === null) return EXPECTED;

  const seconds = Number(match[1]) * UNIT_SECONDS[match[2]];
  if (!Number.isSafeInteger(seconds)) return 'is too large';
  // Zero would mean "expire at once" or "never" depending on the reader; both are mistakes.
  if (seconds === 0) return 'must be greater than zero';

  return { seconds };
}
