import { Command, CommanderError, InvalidArgumentError } from 'commander';

import { CliError, codedError } from './lib/errors';
import type { ExitCode } from './lib/errors';
import type { CliIo } from './lib/io';
import type { AdminClient, ServerOptions } from './commands/admin-client';

/**
 * Runs zenctl with the arguments after the program name and returns the exit status. Command
 * modules are imported inside their actions so that start-up loads only what the command uses.
 */
export async function runCli(argv: string[], io: CliIo): Promise<ExitCode> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    return reportFailure(io, err);
  }
}

/** Prints a failure as `<code>: <reason>` (no stack) and picks its exit status. */
export function reportFailure(io: CliIo, err: unknown): ExitCode {
  if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
  if (err instanceof CliError) {
    io.stderr(`${err.code}: ${err.reason}\n`);
    return err.exitCode;
  }
  const coded = codedError(err);
  if (coded) {
    io.stderr(`${coded.code}: ${coded.reason}\n`);
    return 1;
  }
  io.stderr(`cli_internal: ${err instanceof Error ? err.message : String(err)}\n`);

  return 2;
}

function buildProgram(io: CliIo): Command {
  const program = new Command('zenctl')
    .description('Zen Mesh operator CLI')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: (text) => io.stderr(text),
      outputError: (text, write) => write(`cli_usage: ${text.replace(/^error: /, '')}`),
    });

  addSpiffeIdCommands(program, io);
  addSvidCommands(program, io);
  addCaCommands(program, io);
  addAdminCommands(program, io);
  addAuditCommands(program, io);

  return program;
}

function addSpiffeIdCommands(program: Command, io: CliIo): void {
  const group = program.command('spiffe-id').description('SPIFFE ID tools');
  group
    .command('parse <id>')
    .description('parse a SPIFFE ID; "-" reads one ID per line from stdin')
    .action(async (id: string) => {
      const { spiffeIdParse, spiffeIdParseStream } = await import('./commands/spiffe-id');
      if (id === '-') await spiffeIdParseStream(io);
      else spiffeIdParse(io, id);
    });
}

function addSvidCommands(program: Command, io: CliIo): void {
  const group = program.command('svid').description('X.509-SVID tools');
  group
    .command('verify')
    .description('verify an X.509-SVID against a trust bundle; prints the SPIFFE ID')
    .requiredOption('--svid <pem>', 'the SVID, optionally followed by intermediates')
    .option('--chain <pem>', 'more intermediates (repeatable)', collect, [])
    .requiredOption('--bundle <file>', 'trust bundle: PEM, DER or SPIFFE bundle JSON')
    .requiredOption('--trust-domain <td>', 'the trust domain the SVID must belong to')
    .option('--at <rfc3339>', 'verify at this time instead of now')
    .action(async (opts) => {
      const { svidVerify } = await import('./commands/svid');
      await svidVerify(io, opts);
    });
  group
    .command('inspect <pem>')
    .description('show the SPIFFE ID, serial, validity, key type and issuer of a certificate')
    .option('--json', 'print JSON')
    .action(async (pem: string, opts: { json?: boolean }) => {
      const { svidInspect } = await import('./commands/svid');
      await svidInspect(io, pem, opts.json === true);
    });
  group
    .command('sign')
    .description('issue an X.509-SVID offline from a CSR with a CA on disk; prints the chain')
    .requiredOption('--ca-dir <dir>', 'CA directory made by "zenctl ca init"')
    .requiredOption('--csr <pem>', 'PKCS#10 certificate request')
    .requiredOption('--spiffe-id <id>', 'the SPIFFE ID to issue')
    .option('--ttl <seconds|duration>', 'SVID lifetime (default 1h)')
    .action(async (opts) => {
      const { svidSign } = await import('./commands/svid');
      await svidSign(io, opts);
    });
}

function addCaCommands(program: Command, io: CliIo): void {
  const group = program.command('ca').description('certificate authority');
  group
    .command('init')
    .description('create a root and an intermediate CA on disk (keys mode 0600)')
    .requiredOption('--dir <dir>', 'directory to create the CA in')
    .option('--trust-domain <td>', 'trust domain', 'zen.mesh')
    .option('--ttl <duration>', 'CA lifetime (default: the @zen/ca default)')
    .action(async (opts) => {
      const { caInit } = await import('./commands/ca');
      await caInit(io, opts);
    });
  serverCommand(group.command('rotate'), 'prepare and activate a new CA key now').action(
    async (opts: ServerOptions) => {
      const { caRotate } = await import('./commands/ca');
      await withAdmin(io, opts, (client) => caRotate(io, client));
    },
  );
  serverCommand(group.command('status'), 'show CA generations and the bundle sequence')
    .option('--json', 'print JSON')
    .action(async (opts: ServerOptions & { json?: boolean }) => {
      const { caStatus } = await import('./commands/ca');
      await withAdmin(io, opts, (client) => caStatus(io, client, opts));
    });
}

function addAdminCommands(program: Command, io: CliIo): void {
  const token = program.command('token').description('join tokens');
  serverCommand(token.command('create'), 'create a join token; prints the token alone')
    .requiredOption('--component <c>', 'control-plane, zen-agent, ingester or egress')
    .requiredOption('--name <n>', 'the component name, the last segment of its SPIFFE ID')
    .option('--ttl <duration>', 'token lifetime (default 1h, max 24h)')
    .option('--json', 'print every field as JSON')
    .action(async (opts) => {
      const { tokenCreate } = await import('./commands/token');
      await withAdmin(io, opts, (client) => tokenCreate(io, client, opts));
    });

  const enrollments = program.command('enrollments').description('enrollments');
  serverCommand(enrollments.command('list'), 'list enrollments')
    .option('--json', 'print JSON')
    .action(async (opts: ServerOptions & { json?: boolean }) => {
      const { enrollmentsList } = await import('./commands/enrollments');
      await withAdmin(io, opts, (client) => enrollmentsList(io, client, opts));
    });
  serverCommand(program.command('evict <spiffe-id>'), 'evict an identity').action(
    async (spiffeId: string, opts: ServerOptions) => {
      const { evict } = await import('./commands/enrollments');
      await withAdmin(io, opts, (client) => evict(io, client, spiffeId));
    },
  );

  const bundle = program.command('bundle').description('trust bundle');
  serverCommand(bundle.command('show'), 'print the trust bundle')
    .option('--format <format>', 'json or pem', 'json')
    .action(async (opts: ServerOptions & { format: string }) => {
      const { bundleShow } = await import('./commands/bundle');
      await withAdmin(io, opts, (client) => bundleShow(io, client, opts));
    });
}

function addAuditCommands(program: Command, io: CliIo): void {
  const group = program.command('audit').description('audit trail');
  serverCommand(group.command('list'), 'list audit records')
    .option('--after <seq>', 'only records after this seq', parseSeq, 0)
    .option('--json', 'print one JSON record per line')
    .action(async (opts: ServerOptions & { after: number; json?: boolean }) => {
      const { auditList } = await import('./commands/audit');
      await withAdmin(io, opts, (client) => auditList(io, client, opts));
    });
  serverCommand(group.command('export'), 'write every record as JSON Lines to stdout').action(
    async (opts: ServerOptions) => {
      const { auditExport } = await import('./commands/audit');
      await withAdmin(io, opts, (client) => auditExport(io, client));
    },
  );
  serverCommand(group.command('verify'), 'verify the hash chain and checkpoint signatures')
    .option('--file <jsonl>', 'verify an export instead of fetching the trail')
    .option('--key <pem>', 'audit public key (default: state folder, else the server)')
    .action(async (opts: ServerOptions & { file?: string; key?: string }) => {
      const [{ auditVerify }, { resolveStateDir }] = await Promise.all([
        import('./commands/audit'),
        import('./commands/admin-client'),
      ]);
      let client: Promise<AdminClient> | undefined;
      const lazyConnect = (): Promise<AdminClient> => (client ??= connect(io, opts));
      try {
        await auditVerify(io, { ...opts, stateDir: resolveStateDir(io, opts) }, lazyConnect);
      } finally {
        if (client) (await client.catch(() => null))?.close();
      }
    });
}

/** Adds the options every control plane command shares. */
function serverCommand(command: Command, description: string): Command {
  return command
    .description(description)
    .option('--server <url>', 'control plane URL (default https://localhost:8443)')
    .option(
      '--state-dir <dir>',
      'control plane state folder holding admin/ (default $ZEN_ADMIN_DIR, else .zen/control-plane)',
    );
}

async function connect(io: CliIo, opts: ServerOptions): Promise<AdminClient> {
  const { connectAdmin } = await import('./commands/admin-client');

  return connectAdmin(io, opts);
}

async function withAdmin(
  io: CliIo,
  opts: ServerOptions,
  action: (client: AdminClient) => Promise<void>,
): Promise<void> {
  const client = await connect(io, opts);
  try {
    await action(client);
  } finally {
    client.close();
  }
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseSeq(value: string): number {
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new InvalidArgumentError('must be a non-negative integer');
  }

  return Number(value);
}
