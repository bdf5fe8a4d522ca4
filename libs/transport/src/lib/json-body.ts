import type { IncomingMessage } from 'node:http';

import type { RequestHandler } from 'express';

import { WireError } from './wire-error';

/** Default body limit: 64 KiB (PROTOCOL.md, Enrollment). */
export const DEFAULT_BODY_LIMIT_BYTES = 65536;

const EMPTY_BODY = Buffer.alloc(0);
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads the whole body into `req.rawBody` (the exact bytes, which request signatures hash)
 * and parses a non-empty body as a JSON object into `req.body`. Without a body, `rawBody` is
 * empty and `body` undefined. The Content-Type is not checked, so `curl -d` works without a
 * header. Errors: 413 `payload_too_large` when Content-Length or the bytes streamed exceed the
 * limit; 400 `invalid_request` for a compressed, non-UTF-8, non-JSON or non-object body.
 */
export function jsonBody(opts: { limitBytes: number }): RequestHandler {
  const { limitBytes } = opts;

  return (req, _res, next) => {
    req.rawBody = EMPTY_BODY;
    req.body = undefined;

    // Refuse early on the declared length, before reading a byte of the body.
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > limitBytes) return next(tooLarge(limitBytes));
    if (!hasBody(req)) return next();
    const encoding = req.headers['content-encoding'];
    if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
      return next(new WireError('invalid_request', 'content encoding not supported'));
    }

    readBody(req, limitBytes, (err, raw) => {
      if (err !== null) return next(err);
      req.rawBody = raw;
      try {
        req.body = parseJsonObject(raw);
      } catch (parseError) {
        return next(parseError);
      }

      next();
    });
  };
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];

  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** Collects the body, counting streamed bytes too (chunked bodies declare no length). */
function readBody(
  req: IncomingMessage,
  limitBytes: number,
  done: (err: Error | null, raw: Buffer) => void,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let settled = false;
  const settle = (err: Error | null, raw: Buffer): void => {
    if (settled) return;
    settled = true;
    done(err, raw);
  };

  // After an early refusal the remaining bytes keep flowing and are dropped, so the client
  // can still read the 413 on the same connection.
  req.on('data', (chunk: Buffer) => {
    if (settled) return;
    size += chunk.length;
    if (size > limitBytes) return settle(tooLarge(limitBytes), EMPTY_BODY);
    chunks.push(chunk);
  });
  req.on('end', () => settle(null, Buffer.concat(chunks, size)));
  req.on('error', (cause) => {
    settle(
      new WireError('invalid_request', 'request body could not be read', { cause }),
      EMPTY_BODY,
    );
  });
  req.on('close', () => {
    if (!req.complete) {
      settle(new WireError('invalid_request', 'request body incomplete'), EMPTY_BODY);
    }
  });
}

function parseJsonObject(raw: Buffer): Record<string, unknown> | undefined {
  if (raw.length === 0) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(UTF8.decode(raw));
  } catch (cause) {
    throw new WireError('invalid_request', 'request body is not valid JSON', { cause });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new WireError('invalid_request', 'request body must be a JSON object');
  }

  return value as Record<string, unknown>;
}

function tooLarge(limitBytes: number): WireError {
  return new WireError('payload_too_large', `request body exceeds ${limitBytes} bytes`);
}
