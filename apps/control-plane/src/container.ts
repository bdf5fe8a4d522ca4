import { join } from 'node:path';

import { container, instanceCachingFactory } from 'tsyringe';
import type { DependencyContainer } from 'tsyringe';

import { AUDIT_LOG, AUDIT_SIGNER, AuditLog } from '@zen/audit';
import { CaManager, FileSignerFactory, MemorySignerFactory, SIGNER_FACTORY } from '@zen/ca';
import type { CaStateRepository, SignerFactory } from '@zen/ca';
import { CLOCK, CryptoRandom, RANDOM, SystemClock, nowSeconds } from '@zen/config';
import type { Clock, Random } from '@zen/config';
import { LOGGER } from '@zen/logging';
import type { Logger } from '@zen/logging';
import { MemoryStore, RedisStore, STORE } from '@zen/store';
import type { Store } from '@zen/store';

import { AdminService } from './lib/admin-service';
import { loadOrCreateAuditKey } from './lib/audit-key';
import { CaScheduler } from './lib/ca-scheduler';
import { CONFIG } from './lib/config';
import type { ControlPlaneConfig } from './lib/config';
import { ConfirmationService } from './lib/confirmation-service';
import { ControlPlane } from './lib/control-plane';
import { EnrollmentService } from './lib/enrollment-service';
import { FileCaStateRepository } from './lib/file-ca-state-repository';
import { HttpApp } from './lib/http-app';
import { IdentityPolicy } from './lib/identity-policy';
import { KeyWrapper } from './lib/key-wrapping';
import { LocalCredentials } from './lib/local-credentials';
import { Metrics } from './lib/metrics';
import { ensurePrivateDir, loadOrCreateServerKey, statePaths } from './lib/state-dir';
import { SvidIssuance } from './lib/svid-issuance';
import { SvidService } from './lib/svid-service';
import { TokenService } from './lib/token-service';
import { AUDIT_PUBLIC_KEY_PEM, CA_MANAGER, SERVER_KEY } from './lib/tokens';
import { VerifierService } from './lib/verifier-service';
import { AdminRoutes } from './routes/admin';
import { BundleRoutes } from './routes/bundle';
import { EnrollRoutes } from './routes/enroll';
import { HealthRoutes } from './routes/health';
import { KeysRoutes } from './routes/keys';
import { SvidRoutes } from './routes/svid';

/** Store plugins by the `store` setting. */
export const STORE_PLUGINS = { memory: MemoryStore, redis: RedisStore } as const;

/** Signer plugins by the `signer` setting. */
export const SIGNER_PLUGINS = { memory: MemorySignerFactory, file: FileSignerFactory } as const;

const SINGLETONS = [
  Metrics,
  KeyWrapper,
  TokenService,
  IdentityPolicy,
  SvidIssuance,
  EnrollmentService,
  ConfirmationService,
  SvidService,
  VerifierService,
  AdminService,
  LocalCredentials,
  CaScheduler,
  EnrollRoutes,
  SvidRoutes,
  BundleRoutes,
  KeysRoutes,
  AdminRoutes,
  HealthRoutes,
  HttpApp,
  ControlPlane,
];

/** What a test may replace: runtime ports, the logger, and an already-built store. */
export interface ContainerOverrides {
  logger: Logger;
  clock?: Clock;
  random?: Random;
  store?: Store;
}

/**
 * The composition root: every registration of the control plane, on a child container so two
 * control planes in one process never share state. Reads the state folder (server key, audit
 * key) but starts nothing.
 */
export function buildContainer(
  config: ControlPlaneConfig,
  overrides: ContainerOverrides,
): DependencyContainer {
  const c = container.createChildContainer();
  const clock = overrides.clock ?? new SystemClock();
  ensurePrivateDir(config.stateDir);

  // Configuration and runtime ports.
  c.register(CONFIG, { useValue: config });
  c.register(LOGGER, { useValue: overrides.logger });
  c.register(CLOCK, { useValue: clock });
  c.register(RANDOM, { useValue: overrides.random ?? new CryptoRandom() });

  // Secrets of the state folder.
  c.register(SERVER_KEY, { useValue: loadOrCreateServerKey(config.stateDir).key });
  const auditKey = loadOrCreateAuditKey(config.stateDir);
  c.register(AUDIT_SIGNER, { useValue: auditKey.signer });
  c.register(AUDIT_PUBLIC_KEY_PEM, { useValue: auditKey.publicKeyPem });

  // Plugins chosen by configuration.
  const store = overrides.store ?? createStore(config, clock, overrides.logger);
  c.register(STORE, { useValue: store });
  const signers = createSignerFactory(config);
  c.register(SIGNER_FACTORY, { useValue: signers });
  c.register(CA_MANAGER, {
    useFactory: instanceCachingFactory(
      () =>
        new CaManager({
          trustDomain: config.trustDomain,
          caTtlSeconds: config.caTtl,
          signers,
          repo: caStateRepository(config, store),
          clock: () => nowSeconds(clock),
        }),
    ),
  });
  c.registerSingleton(AuditLog);
  c.register(AUDIT_LOG, { useFactory: instanceCachingFactory((r) => r.resolve(AuditLog)) });

  // Services, routes and the process itself: one instance each per container.
  for (const service of SINGLETONS) c.registerSingleton<unknown>(service);

  return c;
}

function createStore(config: ControlPlaneConfig, clock: Clock, logger: Logger): Store {
  const retention = {
    tokenRetentionSeconds: config.tokenRetention,
    nonceRetentionSeconds: config.nonceRetention,
  };
  if (config.store === 'redis') {
    return new STORE_PLUGINS.redis({
      url: config.redisUrl,
      keyPrefix: config.redisKeyPrefix,
      logger: logger.child({ module: 'store.redis' }),
      ...retention,
    });
  }

  return new STORE_PLUGINS.memory({ nowMs: () => clock.nowMs(), ...retention });
}

function createSignerFactory(config: ControlPlaneConfig): SignerFactory {
  if (config.signer === 'file') return new SIGNER_PLUGINS.file(statePaths(config.stateDir).caDir);

  return new SIGNER_PLUGINS.memory();
}

// With the memory store the CA state lives beside the file signer keys, so a restart keeps
// the CA; a shared store (redis) holds it for every replica.
function caStateRepository(config: ControlPlaneConfig, store: Store): CaStateRepository {
  if (config.store === 'memory' && config.signer === 'file') {
    return new FileCaStateRepository(join(statePaths(config.stateDir).caDir, 'state.json'));
  }

  return {
    load: () => store.getCaState(),
    save: (expectedVersion, value) => store.compareAndSetCaState(expectedVersion, value),
  };
}
