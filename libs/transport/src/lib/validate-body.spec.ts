import type { Request } from 'express';
import { z } from 'zod';

import { validateBody } from './validate-body';
import { WireError } from './wire-error';

const CHALLENGE = z
  .object({
    token_id: z.string().regex(/^[0-9a-f]{16}$/, 'must be 16 hex characters'),
    count: z.number().int().optional(),
  })
  .strict();

function requestWith(body: unknown): Request {
  return { body } as Request;
}

function failure(body: unknown): WireError {
  try {
    validateBody(CHALLENGE, requestWith(body));
  } catch (err) {
    if (err instanceof WireError) return err;
    throw err;
  }
  throw new Error('validation passed');
}

describe('validateBody', () => {
  it('returns the parsed body when it matches the schema', () => {
    const value = validateBody(CHALLENGE, requestWith({ token_id: '0123456789abcdef' }));

    expect(value).toEqual({ token_id: '0123456789abcdef' });
  });

  it('names the bad field and the rule, not the value', () => {
    const err = failure({ token_id: 'SECRET-VALUE' });

    expect(err.code).toBe('invalid_request');
    expect(err.status).toBe(400);
    expect(err.message).toBe('token_id: must be 16 hex characters');
    expect(err.message).not.toContain('SECRET-VALUE');
  });

  it('names a field of the wrong type', () => {
    const err = failure({ token_id: '0123456789abcdef', count: 'many' });

    expect(err.message.startsWith('count: ')).toBe(true);
    expect(err.message).not.toContain('many');
  });

  it('says the body must be an object when there is none', () => {
    expect(failure(undefined).message).toBe('request body must be a JSON object');
  });

  it('names a safe unknown field', () => {
    expect(failure({ token_id: '0123456789abcdef', extra: 1 }).message).toBe(
      'request body: unknown field extra',
    );
  });

  it('does not echo an unknown field name that could carry anything', () => {
    const err = failure({ token_id: '0123456789abcdef', 'x\r\ny<script>': 1 });

    expect(err.message).toBe('request body: unknown field');
  });
});
