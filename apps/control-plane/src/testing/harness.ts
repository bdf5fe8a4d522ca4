import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { DependencyContainer } from 'tsyringe';

import { AUDIT_LOG } from '@zen/audit';
import type { AuditRecord } from '@zen/audit';
import { generateKeyAndCsr } from '@zen/ca';
import { FakeClock } from '@zen/config/testing';
import { enrollMacString, hmacHex } from '@zen/hmac';
import { createCapturingLogger } from '@zen/logging/testing';
import { STORE } from '@zen/store';
import type { Store } from '@zen/store';
import { ZenHttpClient } from '@zen/transport';
import type { ZenHttpResponse } from '@zen/transport';

import { buildContainer } from '../container';
import { controlPlaneConfigSchema } from '../lib/config';
import type { ControlPlaneConfig } from '../lib/config';
import { ControlPlane } from '../lib/control-plane';
import { statePaths } from '../lib/state-dir';
import { pemBlockDer } from '../lib/wire-schemas';

/** What an enrolled test component keeps. */
export interface EnrolledIdentity {
  enrollmentId: string;
  spiffeId: string;
  svidPem: string;
  keyPem: string;
  hmacKeyId: string;
  hmacKey: Buffer;
  bundlePem: string;
}

/** A signed enroll request, before it is sent (so specs can tamper with it). */
export interface EnrollAttempt {
  body: { token_id: string; nonce: string; csr: string; timestamp: number; mac: string };
  keyPem: string;
}

/** A control plane on 127.0.0.1:<ephemeral> over real mTLS, memory store and memory signer. */
export class TestControlPlane {
  private readonly clients: ZenHttpClient[] = [];

  private constructor(
    readonly url: string,
    readonly config: ControlPlaneConfig,
    readonly clock: FakeClock,
    readonly logs: ReturnType<typeof createCapturingLogger>,
    readonly container: DependencyContainer,
    readonly controlPlane: ControlPlane,
  ) {}

  /** Starts one; settings override the test defaults. */
  static async start(
    settings: Record<string, unknown> = {},
    overrides: { store?: Store } = {},
  ): Promise<TestControlPlane> {
    const stateDir =
      typeof settings.stateDir === 'string'
        ? settings.stateDir
        : mkdtempSync(join(tmpdir(), 'zen-cp-spec-'));
    const config = controlPlaneConfigSchema.parse({
      stateDir,
      listen: '127.0.0.1:0',
      store: 'memory',
      signer: 'memory',
      logLevel: 'debug',
      ...settings,
    });
    const clock = new FakeClock(Date.now());
    const logs = createCapturingLogger('control-plane');
    const container = buildContainer(config, { logger: logs.logger, clock, ...overrides });
    const controlPlane = container.resolve(ControlPlane);
    const address = await controlPlane.start();

    return new TestControlPlane(
      `https://localhost:${address.port}`,
      config,
      clock,
      logs,
      container,
      controlPlane,
    );
  }

  get store(): Store {
    return this.container.resolve(STORE);
  }

  /** The roots from `<state>/admin/bundle.pem`. */
  bundlePem(): string {
    return readFileSync(statePaths(this.config.stateDir).adminBundle, 'utf8');
  }

  /** A client without a certificate (public endpoints). */
  publicClient(): ZenHttpClient {
    return this.track(
      new ZenHttpClient({ baseUrl: this.url, caPem: this.bundlePem(), clock: this.clock }),
    );
  }

  /** A client with the admin credential the first start wrote. */
  adminClient(): ZenHttpClient {
    const paths = statePaths(this.config.stateDir);
    return this.track(
      new ZenHttpClient({
        baseUrl: this.url,
        caPem: this.bundlePem(),
        certChainPem: readFileSync(paths.adminSvid, 'utf8'),
        keyPem: readFileSync(paths.adminKey, 'utf8'),
        clock: this.clock,
      }),
    );
  }

  /** An mTLS client with the identity's SVID, signing with its HMAC key unless told not to. */
  identityClient(identity: EnrolledIdentity, opts: { signed?: boolean } = {}): ZenHttpClient {
    return this.track(
      new ZenHttpClient({
        baseUrl: this.url,
        caPem: this.bundlePem(),
        certChainPem: identity.svidPem,
        keyPem: identity.keyPem,
        signing:
          opts.signed === false
            ? undefined
            : { hmacKeyId: identity.hmacKeyId, hmacKey: identity.hmacKey },
        clock: this.clock,
      }),
    );
  }

  /** Makes a join token through the admin API. */
  async createToken(component: string, name: string, ttlSeconds?: number): Promise<string> {
    const res = await this.adminClient().request<{ token: string }>('POST', '/v1/admin/tokens', {
      component,
      name,
      ...(ttlSeconds === undefined ? {} : { ttl_seconds: ttlSeconds }),
    });
    if (res.status !== 201) throw new Error(`token create answered ${res.status}`);

    return res.body.token;
  }

  /** Asks for a challenge and builds a correctly signed enroll body with a fresh key. */
  async prepareEnroll(
    token: string,
    key?: { csrPem: string; privateKeyPem: string },
  ): Promise<EnrollAttempt> {
    const { tokenId, secret } = splitToken(token);
    const challenge = await this.publicClient().request<{ nonce: string }>(
      'POST',
      '/v1/enroll/challenge',
      {
        token_id: tokenId,
      },
    );
    if (challenge.status !== 200) throw new Error(`challenge answered ${challenge.status}`);
    const { csrPem, privateKeyPem } = key ?? (await generateKeyAndCsr({ keyType: 'P-256' }));
    const timestamp = Math.floor(this.clock.nowMs() / 1000);
    const nonce = challenge.body.nonce;
    const mac = hmacHex(
      secret,
      enrollMacString({ tokenId, nonce, timestamp, csrDer: pemBlockDer(csrPem) }),
    );

    return {
      body: { token_id: tokenId, nonce, csr: csrPem, timestamp, mac },
      keyPem: privateKeyPem,
    };
  }

  /** Enrolls with a prepared attempt and fails unless the answer is 201. */
  async enrollOrThrow(attempt: EnrollAttempt): Promise<EnrolledIdentity> {
    const { res, identity } = await this.sendEnroll(attempt);
    if (!identity) throw new Error(`enroll answered ${res.status}`);

    return identity;
  }

  /** Sends an enroll body; on 201 returns the identity too. */
  async sendEnroll(
    attempt: EnrollAttempt,
  ): Promise<{ res: ZenHttpResponse<Record<string, unknown>>; identity?: EnrolledIdentity }> {
    const res = await this.publicClient().request<Record<string, unknown>>(
      'POST',
      '/v1/enroll',
      attempt.body,
    );
    if (res.status !== 201) return { res };
    const b = res.body;

    return {
      res,
      identity: {
        enrollmentId: String(b.enrollment_id),
        spiffeId: String(b.spiffe_id),
        svidPem: String(b.svid_pem),
        keyPem: attempt.keyPem,
        hmacKeyId: String(b.hmac_key_id),
        hmacKey: Buffer.from(String(b.hmac_key), 'hex'),
        bundlePem: String(b.bundle_pem),
      },
    };
  }

  /** Token, challenge, enroll and confirm: an active identity. */
  async enrollActive(component: string, name: string): Promise<EnrolledIdentity> {
    const identity = await this.enrollPending(component, name);
    const confirm = await this.identityClient(identity).request('POST', '/v1/enroll/confirm', {
      enrollment_id: identity.enrollmentId,
    });
    if (confirm.status !== 200) throw new Error(`confirm answered ${confirm.status}`);

    return identity;
  }

  /** Token, challenge and enroll, not confirmed. */
  async enrollPending(component: string, name: string): Promise<EnrolledIdentity> {
    const token = await this.createToken(component, name);
    const { res, identity } = await this.sendEnroll(await this.prepareEnroll(token));
    if (!identity) throw new Error(`enroll answered ${res.status}`);

    return identity;
  }

  /** Every audit record so far. */
  async auditRecords(): Promise<AuditRecord[]> {
    const page = await this.container.resolve(AUDIT_LOG).list(0, 1000);
    return page.records;
  }

  /** The last audit record of a type. */
  async lastAudit(type: string): Promise<AuditRecord | undefined> {
    return (await this.auditRecords()).filter((r) => r.type === type).pop();
  }

  /** Stops the control plane; the state folder is removed unless `keepState`. */
  async close(opts: { keepState?: boolean } = {}): Promise<void> {
    for (const client of this.clients) client.close();
    await this.controlPlane.close();
    if (!opts.keepState) rmSync(this.config.stateDir, { recursive: true, force: true });
  }

  private track(client: ZenHttpClient): ZenHttpClient {
    this.clients.push(client);
    return client;
  }
}

/** Splits `zen1.<id>.<secret>`. */
export function splitToken(token: string): { tokenId: string; secret: Buffer } {
  const [, tokenId, secret] = token.split('.');
  return { tokenId, secret: Buffer.from(secret, 'hex') };
}
