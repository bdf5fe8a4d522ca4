import { readFile } from 'node:fs/promises';

import { unreadable } from './errors';

/** What a command may touch of its process: streams, environment and working directory. */
export interface CliIo {
  /** Returns false when the text was buffered and the caller should wait for `drained`. */
  stdout: (text: string) => boolean | void;
  /** Resolves once buffered stdout has been flushed (no-op for in-memory output). */
  drained?: () => Promise<void>;
  stderr: (text: string) => void;
  stdin: NodeJS.ReadableStream;
  env: Record<string, string | undefined>;
  cwd: string;
}

/** The real process streams. */
export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    drained: () => new Promise((done) => process.stdout.once('drain', () => done())),
    stderr: (text) => process.stderr.write(text),
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
  };
}

/** Reads a whole file as text; a missing or unreadable file is unusable input (exit 2). */
export async function readTextFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw unreadable(path, err);
  }
}

/** Reads a whole file as bytes; a missing or unreadable file is unusable input (exit 2). */
export async function readBinaryFile(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    throw unreadable(path, err);
  }
}
