import { runCli, reportFailure } from './cli';
import { CliError } from './lib/errors';
import { captureIo } from './testing/capture-io';

describe('runCli', () => {
  it('exits 2 with a cli_usage line for an unknown option', async () => {
    const io = captureIo();

    const code = await runCli(['svid', 'inspect', 'x.pem', '--bogus'], io);

    expect(code).toBe(2);
    expect(io.err()).toBe("cli_usage: unknown option '--bogus'\n");
  });

  it('exits 2 when a required option is missing', async () => {
    const io = captureIo();

    const code = await runCli(['svid', 'verify', '--svid', 'a.pem'], io);

    expect(code).toBe(2);
    expect(io.err()).toMatch(/^cli_usage: required option '--bundle <file>' not specified/);
  });

  it('exits 0 and prints usage for --help', async () => {
    const io = captureIo();

    const code = await runCli(['--help'], io);

    expect(code).toBe(0);
    expect(io.out()).toContain('Usage: zenctl');
  });

  it('refuses a non-numeric --after with exit 2', async () => {
    const io = captureIo();

    const code = await runCli(['audit', 'list', '--after', 'x'], io);

    expect(code).toBe(2);
    expect(io.err()).toContain('must be a non-negative integer');
  });
});

describe('reportFailure', () => {
  it.each([
    [
      'a CliError keeps its code and exit status',
      new CliError('cli_input_invalid', 'bad', 2),
      2,
      'cli_input_invalid: bad\n',
    ],
    [
      'a coded library error exits 1',
      Object.assign(new Error('boom'), { code: 'csr_malformed', reason: 'no block' }),
      1,
      'csr_malformed: no block\n',
    ],
    [
      'an uncoded error is internal, exit 2, without a stack',
      new Error('oops'),
      2,
      'cli_internal: oops\n',
    ],
  ])('%s', (_name, err, exitCode, line) => {
    const io = captureIo();

    expect(reportFailure(io, err)).toBe(exitCode);
    expect(io.err()).toBe(line);
  });
});
