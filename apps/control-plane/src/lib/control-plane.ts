import { inject, injectable } from 'tsyringe';

import { AUDIT_LOG } from '@zen/audit';
import type { AuditLog } from '@zen/audit';
import type { CaManager } from '@zen/ca';
import { LOGGER } from '@zen/logging';
import type { Logger } from '@zen/logging';
import { STORE } from '@zen/store';
import type { Store } from '@zen/store';
import { createMtlsServer } from '@zen/transport';
import type { MtlsServer } from '@zen/transport';

import { CaScheduler } from './ca-scheduler';
import { CONFIG, parseListen } from './config';
import type { ControlPlaneConfig } from './config';
import { HttpApp } from './http-app';
import { LocalCredentials } from './local-credentials';
import { CA_MANAGER } from './tokens';

/** Where a started control plane listens. */
export interface ListeningAddress {
  host: string;
  port: number;
  spiffeId: string;
}

const START_RETRY_MS = [250, 500, 1000, 2000, 5000];

/**
 * The running process: starts the store, the CA, the audit log, the credentials and the TLS
 * server in that order, and closes them in reverse.
 */
@injectable()
export class ControlPlane {
  private server: MtlsServer | null = null;
  private stopping = false;

  constructor(
    @inject(STORE) private readonly store: Store,
    @inject(CA_MANAGER) private readonly ca: CaManager,
    @inject(AUDIT_LOG) private readonly audit: AuditLog,
    @inject(LocalCredentials) private readonly credentials: LocalCredentials,
    @inject(CaScheduler) private readonly scheduler: CaScheduler,
    @inject(HttpApp) private readonly http: HttpApp,
    @inject(CONFIG) private readonly config: ControlPlaneConfig,
    @inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Starts everything and listens; waits for an unreachable store instead of failing. */
  async start(): Promise<ListeningAddress> {
    await this.untilStoreAnswers(() => this.store.start());
    await this.untilStoreAnswers(() => this.ca.init());
    await this.credentials.ensureAdmin();
    this.audit.start();

    const serving = await this.scheduler.initialServing((next) =>
      this.server?.updateCredentials(next),
    );
    this.server = createMtlsServer(this.http.build(), serving);
    const { host, port } = parseListen(this.config.listen);
    const address = await this.server.listen(port, host);
    this.scheduler.start();

    return { ...address, spiffeId: serving.spiffeId };
  }

  /** Stops accepting, lets in-flight requests finish, then closes timers, audit and store. */
  async close(): Promise<void> {
    this.stopping = true;
    await this.server?.close();
    await this.scheduler.close();
    await this.audit.close();
    await this.store.close();
  }

  private async untilStoreAnswers(step: () => Promise<unknown>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await step();
        return;
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        if (code !== 'store_unavailable' || this.stopping) throw err;
        const delayMs = START_RETRY_MS[Math.min(attempt, START_RETRY_MS.length - 1)];
        this.logger.warn('store unavailable at start, retrying', { delay_ms: delayMs });
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  }
}
