import { inject, injectable } from 'tsyringe';

import { AUDIT_LOG } from '@zen/audit';
import type { AuditLog } from '@zen/audit';
import type { CaManager } from '@zen/ca';
import { CLOCK } from '@zen/config';
import type { Clock } from '@zen/config';
import { LOGGER } from '@zen/logging';
import type { Logger } from '@zen/logging';

import { recordCaTransitions, updateCaGauges } from './ca-status';
import { CONFIG } from './config';
import type { ControlPlaneConfig } from './config';
import { LocalCredentials } from './local-credentials';
import type { ServingCredentials } from './local-credentials';
import { Metrics } from './metrics';
import { CA_MANAGER } from './tokens';

/**
 * Runs CA rotation on its own schedule (`CaManager.tick`), reloads the CA state other replicas
 * wrote, and renews the serving SVID at half its life or when the bundle changes.
 */
@injectable()
export class CaScheduler {
  private timers: NodeJS.Timeout[] = [];
  private running: Promise<void> = Promise.resolve();
  private serving: ServingCredentials | null = null;
  private servedSequence = -1;
  private onServing: (credentials: ServingCredentials) => void = () => undefined;

  constructor(
    @inject(CA_MANAGER) private readonly ca: CaManager,
    @inject(AUDIT_LOG) private readonly audit: AuditLog,
    @inject(LocalCredentials) private readonly credentials: LocalCredentials,
    @inject(Metrics) private readonly metrics: Metrics,
    @inject(CONFIG) private readonly config: ControlPlaneConfig,
    @inject(CLOCK) private readonly clock: Clock,
    @inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Issues the first serving SVID; later ones go to `onServing`. */
  async initialServing(onServing: (credentials: ServingCredentials) => void) {
    this.onServing = onServing;
    this.serving = await this.credentials.issueServing();
    this.servedSequence = this.ca.bundle().sequence;
    updateCaGauges(this.ca, this.metrics);

    return this.serving;
  }

  /** Starts the rotation and refresh timers (unref'd: they never hold the process open). */
  start(): void {
    // tick() and refresh() queue themselves; wrapping them in serialize() again would make
    // the outer step wait for the inner one forever.
    const every = (seconds: number, step: () => Promise<void>) => {
      const timer = setInterval(() => void step(), seconds * 1000);
      timer.unref();
      this.timers.push(timer);
    };
    every(this.config.caTickInterval, () => this.tick());
    every(this.config.bundleRefreshInterval, () => this.refresh());
  }

  /** Applies the rotation schedule once; exposed for tests that move a fake clock. */
  tick(): Promise<void> {
    return this.serialize(async () => {
      const transitions = await this.ca.tick();
      await recordCaTransitions(this.audit, transitions, null);
      for (const t of transitions) {
        this.logger.info(`ca key ${t.kind}`, { generation_id: t.generationId });
      }
      await this.afterChange(this.clock.nowMs());
      // The admin credential is renewed here too, so a long-running process never strands it.
      await this.credentials.ensureAdmin();
    });
  }

  /** Reloads CA state written by other replicas. */
  refresh(): Promise<void> {
    return this.serialize(async () => {
      await this.ca.refresh();
      await this.afterChange(this.clock.nowMs());
    });
  }

  /** Stops the timers and waits for a running step. */
  async close(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    await this.running;
  }

  /** Called after an admin rotation: refreshes bundle files, gauges and serving SVID. */
  async afterRotation(): Promise<void> {
    await this.serialize(() => this.afterChange(this.clock.nowMs()));
  }

  private async afterChange(nowMs: number): Promise<void> {
    updateCaGauges(this.ca, this.metrics);
    const sequence = this.ca.bundle().sequence;
    const remainingMs = this.serving ? this.serving.notAfter * 1000 - nowMs : 0;
    const pastHalfLife = remainingMs < (this.config.svidTtl * 1000) / 2;
    if (sequence === this.servedSequence && !pastHalfLife) return;

    this.credentials.writeBundle();
    this.serving = await this.credentials.issueServing();
    this.servedSequence = sequence;
    this.onServing(this.serving);
    this.logger.info('serving svid renewed', { bundle_sequence: sequence });
  }

  // One step at a time: a slow store must not let ticks and refreshes interleave.
  private serialize(step: () => Promise<void>): Promise<void> {
    const next = this.running.then(step).catch((err: unknown) => {
      this.logger.error('ca schedule step failed', {
        error: err instanceof Error ? err.message : 'unknown',
      });
    });
    this.running = next;

    return next;
  }
}
