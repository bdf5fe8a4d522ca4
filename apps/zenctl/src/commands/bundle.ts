import { CliError } from '../lib/errors';
import type { CliIo } from '../lib/io';
import type { AdminClient } from './admin-client';
import { printJson } from './output';

/** The formats of `zenctl bundle show`. */
export type BundleFormat = 'json' | 'pem';

/** `zenctl bundle show [--format json|pem]`: the trust bundle as the control plane serves it. */
export async function bundleShow(
  io: CliIo,
  client: AdminClient,
  opts: { format: string },
): Promise<void> {
  if (opts.format !== 'json' && opts.format !== 'pem') {
    throw new CliError('cli_usage', `--format must be json or pem, got ${opts.format}`, 2);
  }

  if (opts.format === 'json') return printJson(io, await client.get<unknown>('/v1/bundle'));

  const answer = await client.get<unknown>('/v1/bundle?format=pem');
  const pem = typeof answer === 'string' ? answer : (answer as { bundle_pem?: string })?.bundle_pem;
  if (typeof pem !== 'string') {
    throw new CliError('cli_server_response_invalid', 'bundle answer holds no PEM', 1);
  }
  io.stdout(pem.endsWith('\n') ? pem : `${pem}\n`);
}
