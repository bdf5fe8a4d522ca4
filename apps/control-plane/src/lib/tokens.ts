import type { InjectionToken } from 'tsyringe';

import type { CaManager } from '@zen/ca';

/** The control plane's own 32-byte secret (`<state>/server.key`). */
export const SERVER_KEY: InjectionToken<Buffer> = Symbol('zen.controlPlane.ServerKey');

/** The CA manager of this control plane (generations, issuance, rotation). */
export const CA_MANAGER: InjectionToken<CaManager> = Symbol('zen.controlPlane.CaManager');

/** The audit public key as SPKI PEM, served at `GET /v1/admin/audit/key`. */
export const AUDIT_PUBLIC_KEY_PEM: InjectionToken<string> = Symbol(
  'zen.controlPlane.AuditPublicKeyPem',
);
