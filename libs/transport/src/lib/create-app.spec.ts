import type { Express } from 'express';

import { createCapturingLogger } from '@zen/logging/testing';

import { createApp, finishApp } from './create-app';
import { sendRaw, startPlainServer } from './testing/send-raw';
import { WireError } from './wire-error';

const ERROR_BODY = { error: { code: expect.any(String), message: expect.any(String) } };

function makeApp() {
  const capture = createCapturingLogger('transport-spec');
  const app: Express = createApp({ logger: capture.logger });
  app.post('/echo', (req, res) => {
    res.json({ body: req.body, rawLength: req.rawBody.length });
  });
  app.get('/things/:id', (req, res) => {
    res.json({ id: req.params['id'], rawLength: req.rawBody.length });
  });
  app.get('/secret', () => {
    throw new Error('secret stuff');
  });
  app.get('/store-down', async () => {
    throw Object.assign(new Error('redis gone at 10.0.0.7'), {
      code: 'store_unavailable',
      retryAfterSeconds: 2.5,
    });
  });
  app.get('/limited', () => {
    throw new WireError('rate_limited', 'too many requests', { retryAfterSeconds: 9 });
  });
  app.get('/internal-wire', () => {
    throw new WireError('internal', 'database password wrong');
  });
  finishApp(app, capture.logger);

  return { app, capture };
}

describe('createApp and finishApp', () => {
  let server: Awaited<ReturnType<typeof startPlainServer>>;
  let capture: ReturnType<typeof createCapturingLogger>;

  beforeEach(async () => {
    const made = makeApp();
    capture = made.capture;
    server = await startPlainServer(made.app);
  });

  afterEach(async () => {
    await server.close();
  });

  it('parses a JSON object body and keeps the raw bytes', async () => {
    const body = Buffer.from('{"a":1,"b":"x"}');

    const res = await sendRaw(server.baseUrl, { method: 'POST', path: '/echo', chunks: [body] });

    expect(res.status).toBe(200);
    expect(res.json).toEqual({ body: { a: 1, b: 'x' }, rawLength: body.length });
  });

  it('leaves the body undefined and the raw body empty without a body', async () => {
    const res = await sendRaw(server.baseUrl, { path: '/things/7' });

    expect(res.json).toEqual({ id: '7', rawLength: 0 });
  });

  it('echoes a well-formed incoming request id', async () => {
    const res = await sendRaw(server.baseUrl, {
      path: '/things/1',
      headers: { 'X-Request-Id': 'abc.DEF_123-x' },
    });

    expect(res.headers['x-request-id']).toBe('abc.DEF_123-x');
  });

  it.each([
    ['too long', 'a'.repeat(65)],
    ['with a space', 'a b'],
    ['with a slash', 'a/b'],
  ])('replaces a malformed incoming request id: %s', async (_name, incoming) => {
    const res = await sendRaw(server.baseUrl, {
      path: '/things/1',
      headers: { 'X-Request-Id': incoming },
    });

    expect(res.headers['x-request-id']).toMatch(/^[A-Za-z0-9._-]{1,64}$/);
    expect(res.headers['x-request-id']).not.toBe(incoming);
  });

  it('refuses a declared body over 64 KiB with 413 before reading it', async () => {
    const body = Buffer.alloc(65537, 0x20);

    const res = await sendRaw(server.baseUrl, {
      method: 'POST',
      path: '/echo',
      headers: { 'Content-Length': String(body.length) },
      chunks: [body],
    });

    expect(res.status).toBe(413);
    expect(res.json).toEqual({
      error: { code: 'payload_too_large', message: 'request body exceeds 65536 bytes' },
    });
    expect(res.headers['x-request-id']).toBeDefined();
  });

  it('refuses a chunked body that grows over 64 KiB with 413', async () => {
    const chunks = [Buffer.alloc(40000, 0x20), Buffer.alloc(25537, 0x20)];

    const res = await sendRaw(server.baseUrl, { method: 'POST', path: '/echo', chunks });

    expect(res.status).toBe(413);
    expect((res.json as { error: { code: string } }).error.code).toBe('payload_too_large');
  });

  it('accepts a body of exactly 64 KiB', async () => {
    const json = Buffer.from(`{"p":"${'x'.repeat(65536 - 8)}"}`);

    const res = await sendRaw(server.baseUrl, { method: 'POST', path: '/echo', chunks: [json] });

    expect(json.length).toBe(65536);
    expect(res.status).toBe(200);
  });

  it.each([
    ['bad JSON', '{"a":', 'request body is not valid JSON'],
    ['an array', '[1,2]', 'request body must be a JSON object'],
    ['a string', '"x"', 'request body must be a JSON object'],
    ['null', 'null', 'request body must be a JSON object'],
    ['invalid UTF-8', '\xff\xfe', 'request body is not valid JSON'],
  ])('answers 400 invalid_request for %s', async (_name, text, message) => {
    const body = Buffer.from(text, 'latin1');

    const res = await sendRaw(server.baseUrl, { method: 'POST', path: '/echo', chunks: [body] });

    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: { code: 'invalid_request', message } });
    expect(res.headers['x-request-id']).toBeDefined();
  });

  it('answers a thrown error with a generic 500 and logs the stack once, server side', async () => {
    const res = await sendRaw(server.baseUrl, {
      path: '/secret',
      headers: { 'X-Request-Id': 'req-500' },
    });

    expect(res.status).toBe(500);
    expect(res.text).toBe('{"error":{"code":"internal","message":"internal error"}}');
    expect(res.headers['x-request-id']).toBe('req-500');
    const errors = capture.lines().filter((line) => line['level'] === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]['request_id']).toBe('req-500');
    expect(String(errors[0]['stack'])).toContain('secret stuff');
  });

  it('never shows the message of an internal wire error', async () => {
    const res = await sendRaw(server.baseUrl, { path: '/internal-wire' });

    expect(res.status).toBe(500);
    expect(res.json).toEqual({ error: { code: 'internal', message: 'internal error' } });
  });

  it('maps a store outage to 503 unavailable with Retry-After and no detail', async () => {
    const res = await sendRaw(server.baseUrl, { path: '/store-down' });

    expect(res.status).toBe(503);
    expect(res.json).toEqual({ error: { code: 'unavailable', message: 'service unavailable' } });
    expect(res.headers['retry-after']).toBe('3');
    expect(res.text).not.toContain('10.0.0.7');
  });

  it('renders a wire error with its status, code, message and Retry-After', async () => {
    const res = await sendRaw(server.baseUrl, { path: '/limited' });

    expect(res.status).toBe(429);
    expect(res.json).toEqual({ error: { code: 'rate_limited', message: 'too many requests' } });
    expect(res.headers['retry-after']).toBe('9');
  });

  it('answers unknown routes with 404 not_found without echoing the path', async () => {
    const res = await sendRaw(server.baseUrl, { path: '/nope/%3Cscript%3E' });

    expect(res.status).toBe(404);
    expect(res.json).toEqual(ERROR_BODY);
    expect((res.json as { error: { code: string } }).error.code).toBe('not_found');
    expect(res.text).not.toContain('nope');
    expect(res.headers['x-request-id']).toBeDefined();
  });

  it('answers a malformed path parameter with 400 invalid_request', async () => {
    const res = await sendRaw(server.baseUrl, { path: '/things/%E0%A4%A' });

    expect(res.status).toBe(400);
    expect((res.json as { error: { code: string } }).error.code).toBe('invalid_request');
  });

  it('writes one access line per request from the allow-list only', async () => {
    await sendRaw(server.baseUrl, {
      method: 'POST',
      path: '/echo?token=zen1.secret',
      headers: { 'X-Request-Id': 'req-log', Authorization: 'Bearer hunter2' },
      chunks: [Buffer.from('{"hmac_key":"deadbeef"}')],
    });

    const access = capture.lines().filter((line) => line['request_id'] === 'req-log');
    expect(access).toHaveLength(1);
    expect(access[0]).toMatchObject({
      level: 'info',
      message: 'request completed',
      method: 'POST',
      route: '/echo',
      path: '/echo',
      status: 200,
      spiffe_id: null,
      code: null,
    });
    expect(typeof access[0]['duration_ms']).toBe('number');
    expect(capture.text()).not.toContain('hunter2');
    expect(capture.text()).not.toContain('deadbeef');
    expect(capture.text()).not.toContain('zen1.secret');
  });

  it('puts the wire code of an error response on the access line', async () => {
    await sendRaw(server.baseUrl, { path: '/limited', headers: { 'X-Request-Id': 'req-429' } });

    const access = capture.lines().filter((line) => line['message'] === 'request completed');
    expect(access.find((line) => line['request_id'] === 'req-429')).toMatchObject({
      status: 429,
      code: 'rate_limited',
    });
  });
});
