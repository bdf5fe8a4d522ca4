import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';

import { inject, injectable } from 'tsyringe';

import type { CaManager, IssuedSvid } from '@zen/ca';
import { CLOCK, nowSeconds } from '@zen/config';
import type { Clock } from '@zen/config';
import {
  parsePemCertificates,
  spiffeIdFromParts,
  trustBundleToPem,
  verifyX509Svid,
} from '@zen/identity';
import { LOGGER, LOG_FIELDS } from '@zen/logging';
import type { Logger } from '@zen/logging';

import { CONFIG } from './config';
import type { ControlPlaneConfig } from './config';
import { statePaths, writeFileAtomic } from './state-dir';
import { CA_MANAGER } from './tokens';

/** Names every serving SVID carries, so local clients verify it without options. */
export const DEFAULT_SANS = ['localhost', '127.0.0.1'];

/** The operator identity written on first start. */
export const ADMIN_NAME = 'operator';

/** A serving SVID with its key, ready for the TLS server. */
export interface ServingCredentials {
  certChainPem: string;
  keyPem: string;
  caPem: string;
  notAfter: number;
  spiffeId: string;
}

/**
 * Credentials the control plane issues to itself from its own CA: the admin credential in
 * `<state>/admin/` and the serving SVID (`spiffe://<td>/control-plane/<name>` with DNS and IP
 * SANs). The serving key never leaves memory.
 */
@injectable()
export class LocalCredentials {
  constructor(
    @inject(CA_MANAGER) private readonly ca: CaManager,
    @inject(CONFIG) private readonly config: ControlPlaneConfig,
    @inject(CLOCK) private readonly clock: Clock,
    @inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Writes the admin credential unless a valid one with a third of its life left exists. */
  async ensureAdmin(): Promise<boolean> {
    const paths = statePaths(this.config.stateDir);
    this.writeBundle();
    if (this.adminStillGood(paths.adminSvid, paths.adminKey)) return false;

    const spiffeId = spiffeIdFromParts(this.config.trustDomain, 'admin', ADMIN_NAME).uri;
    const { svid, keyPem } = await this.issueWithFreshKey(spiffeId, this.config.adminTtl);
    writeFileAtomic(paths.adminKey, keyPem, 0o600);
    writeFileAtomic(paths.adminSvid, svid.chainPem, 0o600);
    this.logger.info('admin credential written', {
      [LOG_FIELDS.spiffeId]: spiffeId,
      [LOG_FIELDS.serial]: svid.serial,
    });

    return true;
  }

  /** Writes the current roots to `<state>/admin/bundle.pem` and `<state>/bundle.pem`. */
  writeBundle(): void {
    const paths = statePaths(this.config.stateDir);
    const pem = trustBundleToPem(this.ca.bundle());
    for (const path of [paths.adminBundle, paths.bundle]) {
      if (existsSync(path) && readFileSync(path, 'utf8') === pem) continue;
      writeFileAtomic(path, pem, 0o644);
    }
  }

  /** Issues a fresh serving SVID (new key) from the active CA generation. */
  async issueServing(): Promise<ServingCredentials> {
    const spiffeId = spiffeIdFromParts(
      this.config.trustDomain,
      'control-plane',
      this.config.name,
    ).uri;
    const names = [...new Set([...DEFAULT_SANS, ...this.config.san])];
    const { svid, keyPem } = await this.issueWithFreshKey(spiffeId, this.config.svidTtl, {
      dnsNames: names.filter((name) => isIP(name) === 0),
      ipAddresses: names.filter((name) => isIP(name) !== 0),
    });

    return {
      certChainPem: svid.chainPem,
      keyPem,
      caPem: trustBundleToPem(this.ca.bundle()),
      notAfter: svid.notAfter,
      spiffeId,
    };
  }

  private async issueWithFreshKey(
    spiffeId: string,
    ttlSeconds: number,
    names: { dnsNames?: string[]; ipAddresses?: string[] } = {},
  ): Promise<{ svid: IssuedSvid; keyPem: string }> {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const svid = await this.ca.issuer().issueSvid({
      publicKeySpki: publicKey.export({ type: 'spki', format: 'der' }),
      spiffeId,
      ttlSeconds,
      nowSeconds: nowSeconds(this.clock),
      ...names,
    });

    return { svid, keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
  }

  private adminStillGood(svidPath: string, keyPath: string): boolean {
    if (!existsSync(svidPath) || !existsSync(keyPath)) return false;
    try {
      const nowMs = this.clock.nowMs();
      const chain = parsePemCertificates(readFileSync(svidPath, 'utf8'));
      const verified = verifyX509Svid({ chain, bundle: this.ca.bundle(), atMs: nowMs });
      const remainingSeconds = (verified.notAfterMs - nowMs) / 1000;
      return remainingSeconds > this.config.adminTtl / 3;
    } catch {
      return false;
    }
  }
}
