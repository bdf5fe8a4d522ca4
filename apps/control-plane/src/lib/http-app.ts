import type { ErrorRequestHandler, Express, RequestHandler } from 'express';
import { inject, injectable } from 'tsyringe';

import { AUDIT_LOG } from '@zen/audit';
import type { AuditLog } from '@zen/audit';
import type { CaManager } from '@zen/ca';
import { CLOCK, nowSeconds } from '@zen/config';
import type { Clock } from '@zen/config';
import { ReplayWindow } from '@zen/hmac';
import { LOGGER } from '@zen/logging';
import type { Logger } from '@zen/logging';
import { STORE } from '@zen/store';
import type { Store } from '@zen/store';
import { WireError, createApp, finishApp, requirePeer, requireSignedRequest } from '@zen/transport';

import { AdminRoutes } from '../routes/admin';
import { BundleRoutes } from '../routes/bundle';
import { EnrollRoutes } from '../routes/enroll';
import { HealthRoutes } from '../routes/health';
import { KeysRoutes } from '../routes/keys';
import { SvidRoutes } from '../routes/svid';

import { CONFIG } from './config';
import type { ControlPlaneConfig } from './config';
import { isControlPlaneError } from './errors';
import { IdentityPolicy } from './identity-policy';
import { KeyWrapper } from './key-wrapping';
import { OPENAPI_PATH, buildOpenApiDocument } from './openapi';
import type { RouteAuth, RouteSpec } from './route-spec';
import { CA_MANAGER } from './tokens';

const API_VERSION = '1.0.0';

/** Builds the express app: every route spec behind its guard, the OpenAPI document, errors. */
@injectable()
export class HttpApp {
  constructor(
    @inject(EnrollRoutes) private readonly enroll: EnrollRoutes,
    @inject(SvidRoutes) private readonly svid: SvidRoutes,
    @inject(BundleRoutes) private readonly bundle: BundleRoutes,
    @inject(KeysRoutes) private readonly keys: KeysRoutes,
    @inject(AdminRoutes) private readonly admin: AdminRoutes,
    @inject(HealthRoutes) private readonly health: HealthRoutes,
    @inject(IdentityPolicy) private readonly policy: IdentityPolicy,
    @inject(KeyWrapper) private readonly wrapper: KeyWrapper,
    @inject(CA_MANAGER) private readonly ca: CaManager,
    @inject(STORE) private readonly store: Store,
    @inject(AUDIT_LOG) private readonly audit: AuditLog,
    @inject(CLOCK) private readonly clock: Clock,
    @inject(CONFIG) private readonly config: ControlPlaneConfig,
    @inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Every route the app serves except `/openapi.json` itself. */
  routes(): RouteSpec[] {
    return [
      ...this.health.routes(),
      ...this.bundle.routes(),
      ...this.enroll.routes(),
      ...this.svid.routes(),
      ...this.keys.routes(),
      ...this.admin.routes(),
    ];
  }

  /** The express app, ready for the TLS server. */
  build(): Express {
    const app = createApp({ logger: this.logger, bodyLimitBytes: this.config.bodyLimitBytes });
    const guards = this.guards();
    const routes = this.routes();
    for (const route of routes) {
      app[route.method](route.path, ...(route.before ?? []), ...guards[route.auth], route.handle);
    }
    const document = buildOpenApiDocument(routes, API_VERSION);
    app.get(OPENAPI_PATH, (_req, res) => {
      res.json(document);
    });
    app.use(toWireError);
    finishApp(app, this.logger);

    return app;
  }

  private guards(): Record<RouteAuth, RequestHandler[]> {
    const peer = requirePeer({
      trustDomain: this.config.trustDomain,
      bundle: () => this.ca.bundle(),
      isRevoked: (p) => this.policy.isSvidEvicted(p.spiffeId, p.serial),
      clock: this.clock,
    });
    const signed = requireSignedRequest({
      resolveKey: (keyId) => this.resolveKey(keyId),
      replay: new ReplayWindow({ rememberOnce: (key, ttl) => this.store.rememberOnce(key, ttl) }),
      clock: this.clock,
    });

    return { public: [], signed: [peer, signed], admin: [peer, this.adminOnly()] };
  }

  // Pending identities resolve too: confirm must accept them; other routes check the state.
  private async resolveKey(keyId: string) {
    const record = await this.store.getHmacKey(keyId);
    if (!record || record.expiresAt <= nowSeconds(this.clock)) return null;

    return {
      spiffeId: record.spiffeId,
      key: this.wrapper.unwrap(record.hmacKeyId, record.wrappedKey),
    };
  }

  private adminOnly(): RequestHandler {
    return async (req, _res, next) => {
      const spiffeId = req.peer?.spiffeId ?? null;
      if (spiffeId !== null && this.policy.isAdmin(spiffeId)) return next();

      await this.audit.append({
        type: 'admin.denied',
        actor: spiffeId,
        subject: null,
        outcome: 'denied',
        reason: 'not_admin',
        evidence: { path: req.path.slice(0, 128), request_id: req.requestId },
      });
      throw new WireError('forbidden', 'admin identity required');
    };
  }
}

// Control plane errors carry their wire code; the one error middleware of transport renders it.
const toWireError: ErrorRequestHandler = (err, _req, _res, next) => {
  next(isControlPlaneError(err) ? err.toWire() : err);
};
