import type { AdminClient } from './admin-client';
import type { CliIo } from '../lib/io';
import { printJson, printLine } from './output';
import { parseTtl } from './svid';

/** The answer of `POST /v1/admin/tokens`. */
export interface CreatedToken {
  token: string;
  token_id: string;
  spiffe_id: string;
  expires_at: string;
}

/** Options of `zenctl token create`. */
export interface TokenCreateOptions {
  component: string;
  name: string;
  ttl?: string;
  json?: boolean;
}

/** The join token lifetime asked for when `--ttl` is not given (PROTOCOL.md: 1 h). */
export const DEFAULT_TOKEN_TTL_SECONDS = 3600;

/**
 * `zenctl token create`: asks the control plane for a join token bound to one component and
 * name. Prints the token alone, so `$(zenctl token create ...)` captures it; `--json` prints
 * every field. The secret appears only on stdout, never on stderr.
 */
export async function tokenCreate(
  io: CliIo,
  client: AdminClient,
  opts: TokenCreateOptions,
): Promise<void> {
  const ttlSeconds = opts.ttl === undefined ? DEFAULT_TOKEN_TTL_SECONDS : parseTtl(opts.ttl);

  const created = await client.post<CreatedToken>('/v1/admin/tokens', {
    component: opts.component,
    name: opts.name,
    ttl_seconds: ttlSeconds,
  });

  if (opts.json) printJson(io, created);
  else printLine(io, created.token);
}
