import { createInterface } from 'node:readline';

import { parseSpiffeId } from '@zen/identity';

import { CliError, codedError } from '../lib/errors';
import type { CliIo } from '../lib/io';
import { printJsonLine } from './output';

/** One line of `spiffe-id parse -`: the input echoed, then either its parts or the refusal. */
export type SpiffeIdParseResult =
  | { input: string; valid: true; trust_domain: string; path: string }
  | { input: string; valid: false; code: string; reason: string };

/** Parses one SPIFFE ID into the result object; never throws for a refused ID. */
export function parseOne(input: string): SpiffeIdParseResult {
  try {
    const id = parseSpiffeId(input);

    return { input, valid: true, trust_domain: id.trustDomain, path: id.path };
  } catch (err) {
    const coded = codedError(err);
    if (!coded) throw err;

    return { input, valid: false, code: coded.code, reason: coded.reason };
  }
}

/** `zenctl spiffe-id parse <id>`: prints the parts; an invalid ID exits 1 with its code. */
export function spiffeIdParse(io: CliIo, input: string): void {
  const result = parseOne(input);
  if (!result.valid) throw new CliError(result.code, result.reason, 1);

  printJsonLine(io, { trust_domain: result.trust_domain, path: result.path });
}

/**
 * `zenctl spiffe-id parse -`: one result line per input line of stdin. CRLF endings count as one
 * line break and a last line without a newline is an input; an empty line is an input too and
 * is refused like an empty argument. Returns the number of lines read.
 */
export async function spiffeIdParseStream(io: CliIo): Promise<number> {
  const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
  let count = 0;
  for await (const line of lines) {
    // Wait for a slow reader of stdout instead of buffering a whole large input.
    if (io.stdout(`${JSON.stringify(parseOne(line))}\n`) === false) await io.drained?.();
    count += 1;
  }

  return count;
}
