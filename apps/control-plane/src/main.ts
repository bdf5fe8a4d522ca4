import 'reflect-metadata';

import { Command } from 'commander';

import { loadConfig } from '@zen/config';
import { createLogger } from '@zen/logging';
import type { Logger } from '@zen/logging';

import { buildContainer } from './container';
import { controlPlaneConfigSchema } from './lib/config';
import type { ControlPlaneConfig } from './lib/config';
import { ControlPlane } from './lib/control-plane';

const SHUTDOWN_TIMEOUT_MS = 25_000;

function parseFlags(argv: string[]): { flags: Record<string, unknown>; configFile?: string } {
  const program = new Command('control-plane')
    .description('Zen Mesh control plane: enrollment, renewal, trust bundle, admin API')
    .option('--config <file>', 'JSON configuration file')
    .option('--state-dir <dir>', 'state folder (server key, CA keys, audit key, admin credential)')
    .option('--listen <host:port>', 'address to listen on (default 127.0.0.1:8443)')
    .option('--name <name>', 'replica name in its SPIFFE ID (default cp-1)')
    .option(
      '--san <name>',
      'extra DNS name or IP of the serving SVID, beside localhost and 127.0.0.1 (repeatable)',
      collect,
    )
    .option('--store <kind>', 'memory | redis')
    .option('--redis-url <url>', 'redis://, rediss://, redis-sentinel://, redis-cluster://')
    .option('--trust-domain <name>', 'trust domain (default zen.mesh)')
    .option('--signer <kind>', 'memory | file (default file: CA keys in the state folder)')
    .option('--svid-ttl <duration>', 'SVID lifetime (default 1h)')
    .option('--ca-ttl <duration>', 'CA lifetime (default 365d)')
    .option('--token-ttl <duration>', 'default join token lifetime (default 1h)')
    .option('--confirm-window <duration>', 'time to confirm an enrollment (default 10m)')
    .option('--nonce-ttl <duration>', 'challenge nonce lifetime (default 60s)')
    .option('--token-retention <duration>', 'how long expired tokens are kept (default 1d)')
    .option('--nonce-retention <duration>', 'how long expired nonces are kept (default 5m)')
    .option('--recovery-window <duration>', 'how long after expiry recovery works (default 7d)')
    .option('--rate-limit-per-address <n>', 'enrollment requests per address per window')
    .option('--rate-limit-per-token <n>', 'enrollment requests per token id per window')
    .option('--log-level <level>', 'error | warn | info | debug')
    .allowExcessArguments(false)
    .parse(argv);
  const { config, ...flags } = program.opts<Record<string, unknown>>();

  return { flags, configFile: typeof config === 'string' ? config : undefined };
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

async function main(): Promise<void> {
  const { flags, configFile } = parseFlags(process.argv);
  let config: ControlPlaneConfig;
  try {
    config = loadConfig(controlPlaneConfigSchema, {
      file: configFile,
      env: process.env,
      envPrefix: 'ZEN_',
      flags,
    });
  } catch (err) {
    process.stderr.write(`control-plane: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  }

  const logger = createLogger({
    component: 'control-plane',
    instance: config.name,
    level: config.logLevel,
  });
  const c = buildContainer(config, { logger });
  const controlPlane = c.resolve(ControlPlane);
  installShutdown(controlPlane, logger);

  const address = await controlPlane.start();
  logger.info('listening', {
    address: `${address.host}:${address.port}`,
    trust_domain: config.trustDomain,
    store: config.store,
  });
  // stdout carries only JSON log lines; the one line a person reads goes to stderr.
  process.stderr.write(
    `control-plane ready on https://${address.host}:${address.port} ` +
      `(trust domain ${config.trustDomain}, store ${config.store})\n`,
  );
}

function installShutdown(
  controlPlane: ControlPlane,
  logger: ReturnType<typeof createLogger>,
): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutdown', { signal });
    const timer = setTimeout(() => process.exit(1), SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    controlPlane
      .close()
      .then(() => flushAndExit(logger, 0))
      .catch((err: unknown) => {
        logger.error('shutdown failed', { error: err instanceof Error ? err.message : 'unknown' });
        flushAndExit(logger, 1);
      });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

function flushAndExit(logger: Logger, code: number): void {
  logger.on('finish', () => process.exit(code));
  logger.end();
  setTimeout(() => process.exit(code), 2000).unref();
}

main().catch((err: unknown) => {
  process.stderr.write(
    `control-plane: failed to start: ${err instanceof Error ? err.message : String(err)}\n`,
  );
  process.exit(1);
});
