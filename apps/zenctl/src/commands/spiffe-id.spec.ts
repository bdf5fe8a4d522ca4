import { captureIo } from '../testing/capture-io';
import { runCli } from '../cli';
import { parseOne, spiffeIdParseStream } from './spiffe-id';

describe('spiffe-id parse', () => {
  it('prints the trust domain and path of a valid ID as one JSON line', async () => {
    const io = captureIo();

    const code = await runCli(['spiffe-id', 'parse', 'spiffe://zen.mesh/zen-agent/node-1'], io);

    expect(code).toBe(0);
    expect(io.out()).toBe('{"trust_domain":"zen.mesh","path":"/zen-agent/node-1"}\n');
    expect(io.err()).toBe('');
  });

  it('exits 1 with the identity error code and reason on stderr for an invalid ID', async () => {
    const io = captureIo();

    const code = await runCli(['spiffe-id', 'parse', 'https://zen.mesh/a'], io);

    expect(code).toBe(1);
    expect(io.out()).toBe('');
    expect(io.err()).toMatch(/^spiffe_id_scheme: .+\n$/);
  });

  it('reports a refused ID as an object instead of throwing', () => {
    const result = parseOne('spiffe://zen.mesh/a/');

    expect(result).toEqual({
      input: 'spiffe://zen.mesh/a/',
      valid: false,
      code: 'spiffe_id_trailing_slash',
      reason: expect.any(String),
    });
  });
});

describe('spiffe-id parse - (stdin)', () => {
  it('answers one JSON line per input line, with CRLF and an unterminated last line', async () => {
    const io = captureIo({ stdin: 'spiffe://a.b/x\r\nnot-an-id\r\n\nspiffe://c.d' });

    const count = await spiffeIdParseStream(io);

    const lines = io
      .out()
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(count).toBe(4);
    expect(lines[0]).toEqual({
      input: 'spiffe://a.b/x',
      valid: true,
      trust_domain: 'a.b',
      path: '/x',
    });
    expect(lines[1]).toMatchObject({ input: 'not-an-id', valid: false, code: 'spiffe_id_scheme' });
    expect(lines[2]).toMatchObject({ input: '', valid: false, code: 'spiffe_id_empty' });
    expect(lines[3]).toEqual({ input: 'spiffe://c.d', valid: true, trust_domain: 'c.d', path: '' });
  });

  it('exits 0 through the CLI even when some lines are invalid', async () => {
    const io = captureIo({ stdin: 'bad\n' });

    const code = await runCli(['spiffe-id', 'parse', '-'], io);

    expect(code).toBe(0);
    expect(JSON.parse(io.out())).toMatchObject({ input: 'bad', valid: false });
  });

  it('prints nothing for empty stdin', async () => {
    const io = captureIo({ stdin: '' });

    expect(await spiffeIdParseStream(io)).toBe(0);
    expect(io.out()).toBe('');
  });
});
