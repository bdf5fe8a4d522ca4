import type { Request } from 'express';
import type { z } from 'zod';

import { stripControl } from '@zen/logging';

import { WireError } from './wire-error';

const SAFE_KEY = /^[A-Za-z0-9_]{1,64}$/;
const MAX_MESSAGE = 200;

/**
 * Parses `req.body` with a zod schema and returns the typed value. Throws 400
 * `invalid_request` naming the first bad field and what is wrong with it, never the value
 * received (field names that did not come from the schema are not echoed either).
 */
export function validateBody<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  const result = schema.safeParse(req.body);
  if (result.success) return result.data;

  const issue = result.error.issues[0];
  throw new WireError('invalid_request', describeIssue(issue), { cause: result.error });
}

function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (issue === undefined) return 'invalid request body';
  const field = issue.path.map(describeSegment).join('.');
  if (field === '' && issue.code === 'invalid_type') return 'request body must be a JSON object';

  const what = field === '' ? 'request body' : field;
  let detail: string;
  switch (issue.code) {
    case 'unrecognized_keys': {
      const keys = issue.keys.filter((key) => SAFE_KEY.test(key));
      detail =
        keys.length === issue.keys.length ? `unknown field ${keys.join(', ')}` : 'unknown field';
      break;
    }
    case 'invalid_key':
    case 'invalid_union':
    case 'invalid_element':
      detail = 'invalid value';
      break;
    default:
      detail = issue.message;
  }

  return stripControl(`${what}: ${detail}`).slice(0, MAX_MESSAGE);
}

function describeSegment(segment: PropertyKey): string {
  if (typeof segment === 'number') return String(segment);
  if (typeof segment === 'string' && SAFE_KEY.test(segment)) return segment;

  return '?';
}
