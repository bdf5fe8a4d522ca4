import { dirname, join, resolve } from 'node:path';

import { CliError } from '../lib/errors';
import { readTextFile } from '../lib/io';
import type { CliIo } from '../lib/io';

/** The control plane address used when `--server` is not given. */
export const DEFAULT_SERVER = 'https://localhost:8443';

/** The state folder of a control plane started from the same working directory. */
export const DEFAULT_STATE_DIR = '.zen/control-plane';

/** Options shared by every command that talks to the control plane. */
export interface ServerOptions {
  server?: string;
  stateDir?: string;
}

/** How long one admin request may take; a CA rotation on a busy host can take seconds. */
export const ADMIN_REQUEST_TIMEOUT_MS = 30_000;

/** One HTTP exchange with the control plane; the seam specs replace with an in-process fake. */
export interface AdminTransport {
  request(method: string, pathAndQuery: string, body?: unknown): Promise<AdminResponse>;
  /** Closes kept-alive connections. */
  close?(): void;
}

/** A response as the transport hands it back, before any error mapping. */
export interface AdminResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** The admin credential written by the control plane into `<state>/admin/`. */
export interface AdminCredential {
  certChainPem: string;
  keyPem: string;
  caPem: string;
}

/**
 * The admin folder: `<--state-dir>/admin`, else `$ZEN_ADMIN_DIR` (the admin folder itself),
 * else `.zen/control-plane/admin` under the working directory.
 */
export function resolveAdminDir(io: CliIo, opts: ServerOptions): string {
  if (opts.stateDir) return resolve(io.cwd, opts.stateDir, 'admin');
  if (io.env.ZEN_ADMIN_DIR) return resolve(io.cwd, io.env.ZEN_ADMIN_DIR);

  return resolve(io.cwd, DEFAULT_STATE_DIR, 'admin');
}

/** The control plane state folder, which holds `admin/` and `audit/key.pub.pem`. */
export function resolveStateDir(io: CliIo, opts: ServerOptions): string {
  if (opts.stateDir) return resolve(io.cwd, opts.stateDir);
  if (io.env.ZEN_ADMIN_DIR) return dirname(resolve(io.cwd, io.env.ZEN_ADMIN_DIR));

  return resolve(io.cwd, DEFAULT_STATE_DIR);
}

/** Reads `svid.pem`, `key.pem` and `bundle.pem` of the admin folder; missing files exit 2. */
export async function readAdminCredential(adminDir: string): Promise<AdminCredential> {
  const read = async (name: string): Promise<string> => {
    try {
      return await readTextFile(join(adminDir, name));
    } catch (err) {
      const hint = 'start the control plane once or pass --state-dir';
      const reason = `${(err as CliError).reason}; ${hint}`;
      throw new CliError('cli_admin_credential_missing', reason, 2, { cause: err });
    }
  };

  return {
    certChainPem: await read('svid.pem'),
    keyPem: await read('key.pem'),
    caPem: await read('bundle.pem'),
  };
}

/**
 * The admin API of the control plane over mTLS with the admin SVID (no request signature).
 * Wire errors become `<code>: <message>` with exit 1; failures to connect exit 2.
 */
export class AdminClient {
  constructor(
    private readonly transport: AdminTransport,
    readonly server: string,
  ) {}

  /** Closes the connections of the transport, so the process can end. */
  close(): void {
    this.transport.close?.();
  }

  /** GET a JSON document. */
  get<T>(pathAndQuery: string): Promise<T> {
    return this.send<T>('GET', pathAndQuery);
  }

  /** POST a JSON body and return the JSON answer. */
  post<T>(pathAndQuery: string, body: unknown = {}): Promise<T> {
    return this.send<T>('POST', pathAndQuery, body);
  }

  private async send<T>(method: string, pathAndQuery: string, body?: unknown): Promise<T> {
    let response: AdminResponse;
    try {
      response = await this.transport.request(method, pathAndQuery, body);
    } catch (err) {
      throw requestFailure(err, this.server);
    }
    if (response.status >= 400) throw wireFailure(response);

    return response.body as T;
  }
}

/** Builds the admin client from the options, the environment and the admin folder. */
export async function connectAdmin(io: CliIo, opts: ServerOptions): Promise<AdminClient> {
  const server = parseServer(opts.server ?? DEFAULT_SERVER);
  const credential = await readAdminCredential(resolveAdminDir(io, opts));
  const { ZenHttpClient } = await import('@zen/transport');

  const http = new ZenHttpClient({
    baseUrl: server,
    ...credential,
    timeoutMs: ADMIN_REQUEST_TIMEOUT_MS,
  });
  const transport: AdminTransport = {
    request: (method, pathAndQuery, body) => http.request(method, pathAndQuery, body),
    close: () => http.close(),
  };

  return new AdminClient(transport, server);
}

function parseServer(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CliError('cli_usage', `invalid --server ${JSON.stringify(text)}`, 2);
  }
  if (url.protocol !== 'https:') {
    throw new CliError('cli_usage', `--server must be an https:// URL, got ${url.protocol}`, 2);
  }

  return url.origin;
}

/** Maps a non-2xx answer to the wire error code and message the server gave. */
function wireFailure(response: AdminResponse): CliError {
  const error = (response.body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  if (typeof error?.code === 'string' && typeof error.message === 'string') {
    return new CliError(error.code, error.message, 1);
  }

  return new CliError('cli_server_response_invalid', `HTTP ${response.status} without error`, 1);
}

/** A thrown wire error keeps its code (exit 1); anything else is a connection failure (exit 2). */
function requestFailure(err: unknown, server: string): CliError {
  if (err instanceof CliError) return err;
  const wire = err as { code?: unknown; status?: unknown; message?: unknown };
  if (typeof wire.status === 'number' && typeof wire.code === 'string') {
    return new CliError(wire.code, String(wire.message), 1, { cause: err });
  }

  if ((err as { code?: unknown }).code === 'transport_timeout') {
    const seconds = ADMIN_REQUEST_TIMEOUT_MS / 1000;
    return new CliError('cli_server_timeout', `no answer from ${server} within ${seconds} s`, 2, {
      cause: err,
    });
  }

  return new CliError('cli_server_unreachable', `cannot reach ${server}: ${detail(err)}`, 2, {
    cause: err,
  });
}

/** The most specific system or TLS code in the cause chain, else the message. */
function detail(err: unknown): string {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }

  return err instanceof Error ? err.message : String(err);
}
