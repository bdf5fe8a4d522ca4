/** The codes zenctl itself reports; library and wire codes pass through unchanged. */
export type CliErrorCode =
  | 'cli_usage'
  | 'cli_input_unreadable'
  | 'cli_input_invalid'
  | 'cli_trust_domain_mismatch'
  | 'cli_ca_dir_not_empty'
  | 'cli_admin_credential_missing'
  | 'cli_server_unreachable'
  | 'cli_server_timeout'
  | 'cli_server_response_invalid'
  | 'cli_audit_chain_broken'
  | 'cli_internal';

/** Exit status: 1 is a negative answer (invalid, refused), 2 means the command could not run. */
export type ExitCode = 0 | 1 | 2;

/**
 * A failure that ends the command: printed as `<code>: <reason>` on stderr, then the process
 * exits with `exitCode`. `code` is a zenctl code or one passed through from a library or the
 * wire, so operators see the same code the control plane logs and audits.
 */
export class CliError extends Error {
  constructor(
    readonly code: CliErrorCode | string,
    readonly reason: string,
    readonly exitCode: 1 | 2,
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${reason}`, options);
    this.name = 'CliError';
  }
}

/** Unusable input: a file that cannot be read. */
export function unreadable(path: string, cause: unknown): CliError {
  const detail = (cause as NodeJS.ErrnoException)?.code ?? 'read failed';

  return new CliError('cli_input_unreadable', `cannot read ${path}: ${detail}`, 2, { cause });
}

/** Unusable input: content that cannot be parsed. */
export function invalidInput(reason: string, cause?: unknown): CliError {
  return new CliError('cli_input_invalid', reason, 2, { cause });
}

/** The coded error of a library (identity, ca, config), or null for anything else. */
export function codedError(err: unknown): { code: string; reason: string } | null {
  if (!(err instanceof Error)) return null;
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string' || !/^[a-z][a-z0-9_]*$/.test(code)) return null;
  const reason = (err as { reason?: unknown }).reason;

  return { code, reason: typeof reason === 'string' && reason ? reason : err.message };
}
