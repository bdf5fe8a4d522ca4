import { Readable } from 'node:stream';

import type { CliIo } from '../lib/io';

/** A CliIo whose output is captured in memory, for in-process specs. */
export interface CapturedIo extends CliIo {
  out(): string;
  err(): string;
}

/** Builds a captured CliIo with the given stdin text, environment and working directory. */
export function captureIo(
  opts: { stdin?: string; env?: Record<string, string>; cwd?: string } = {},
): CapturedIo {
  let out = '';
  let err = '';

  return {
    stdout: (text) => {
      out += text;
    },
    stderr: (text) => {
      err += text;
    },
    stdin: Readable.from([Buffer.from(opts.stdin ?? '')]),
    env: opts.env ?? {},
    cwd: opts.cwd ?? '/nonexistent-cwd',
    out: () => out,
    err: () => err,
  };
}
