import { randomBytes } from 'node:crypto';

import { certificateSha256, parsePemCertificates } from '@zen/identity';
import type { TrustBundle } from '@zen/identity';

import { createCaGeneration } from './ca-generation';
import { decideCaSchedule } from './ca-schedule';
import {
  parseCaState,
  serializeCaState,
  type CaGenerationRecord,
  type CaGenerationState,
  type CaStateRecord,
} from './ca-state';
import type { CaStateRepository, VersionedValue } from './ca-state-repository';
import { CaStateError } from './errors';
import { CertificateIssuer, type IssueSvidParams, type IssuedSvid, type Issuer } from './issuer';
import type { Signer, SignerFactory } from './signer/signer';
import { readCertificateParts } from './x509/certificate-reader';
import { writePem } from './x509/pem';

/** Options of {@link CaManager}. */
export interface CaManagerOptions {
  trustDomain: string;
  /** Lifetime of each generation's root and intermediate, in seconds. */
  caTtlSeconds: number;
  signers: SignerFactory;
  repo: CaStateRepository;
  /** Current time in Unix seconds. */
  clock: () => number;
  /** Compare-and-set attempts before `ca_state_conflict`; 5 unless set. */
  maxAttempts?: number;
}

/** A step of the rotation state machine, to be audited by the caller. */
export type CaTransition = { kind: 'prepared' | 'activated' | 'retired'; generationId: string };

/** One generation as {@link CaManager.status} reports it. Times are Unix seconds. */
export interface CaGenerationStatus {
  id: string;
  state: CaGenerationState;
  notBefore: number;
  notAfter: number;
  rootSha256: string;
  intermediateSha256: string;
}

/** The CA as an operator sees it. */
export interface CaStatus {
  trustDomain: string;
  sequence: number;
  activeGenerationId: string | null;
  generations: CaGenerationStatus[];
}

interface LoadedGeneration {
  record: CaGenerationRecord;
  rootDer: Buffer;
  intermediateDer: Buffer;
}

const STATE_ORDER: Record<CaGenerationState, number> = { active: 0, prepared: 1, old: 2 };
const MAX_REFRESH_HINT_SECONDS = 300;

/**
 * Owns the CA generations and their rotation (PROTOCOL.md, Renewal and rotation): it prepares
 * a successor when half of the active lifetime has elapsed, activates it when a sixth remains,
 * and retires an old generation once its notAfter has passed. State lives in a shared
 * repository behind compare-and-set, so replicas on one store converge; keys stay behind the
 * SignerFactory and only their names are stored.
 */
export class CaManager {
  readonly #options: CaManagerOptions;
  readonly #signers = new Map<string, Signer>();
  readonly #issuer: Issuer;
  #current: VersionedValue | null = null;
  #state: CaStateRecord | null = null;
  #generations: LoadedGeneration[] = [];
  #activeIssuer: CertificateIssuer | null = null;
  #activeIssuerId: string | null = null;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: CaManagerOptions) {
    if (!options.trustDomain || !options.signers || !options.repo || !options.clock) {
      throw new TypeError('CaManager needs a trust domain, signers, a repository and a clock');
    }
    if (!Number.isSafeInteger(options.caTtlSeconds) || options.caTtlSeconds <= 600) {
      throw new TypeError('CaManager needs a CA ttl above 600 seconds');
    }
    this.#options = options;
    this.#issuer = { issueSvid: (params) => this.#issue(params) };
  }

  /**
   * Loads the shared state, or creates the first active generation when there is none; returns
   * the transitions it made (none when another replica already created the CA).
   */
  async init(): Promise<CaTransition[]> {
    return this.#mutate((state) => (state ? null : { retire: [], prepare: true, activate: true }));
  }

  /**
   * An Issuer that always signs with the generation active at the time of each call, capping
   * notAfter at that CA's notAfter. Throws CaStateError `ca_not_initialized` before init and
   * `ca_signer_missing` when this replica cannot load the active intermediate key.
   */
  issuer(): Issuer {
    return this.#issuer;
  }

  /** Every root that may still verify a live SVID: active, prepared, and unexpired old ones. */
  bundle(): TrustBundle {
    const state = this.#requireState();
    const now = this.#options.clock();
    const live = this.#generations.filter(
      (g) => g.record.state !== 'old' || g.record.notAfter > now,
    );
    const active = live.find((g) => g.record.state === 'active');
    const lifetime = active ? active.record.notAfter - active.record.notBefore : 0;

    return {
      trustDomain: state.trustDomain,
      roots: live.map((g) => g.rootDer),
      sequence: state.sequence,
      refreshHintSeconds: Math.max(
        1,
        Math.min(MAX_REFRESH_HINT_SECONDS, Math.floor(lifetime / 12)),
      ),
    };
  }

  /** Generations with their state, validity and certificate hashes, plus the bundle sequence. */
  status(): CaStatus {
    const state = this.#requireState();

    return {
      trustDomain: state.trustDomain,
      sequence: state.sequence,
      activeGenerationId:
        this.#generations.find((g) => g.record.state === 'active')?.record.id ?? null,
      generations: this.#generations.map((g) => ({
        id: g.record.id,
        state: g.record.state,
        notBefore: g.record.notBefore,
        notAfter: g.record.notAfter,
        rootSha256: certificateSha256(g.rootDer),
        intermediateSha256: certificateSha256(g.intermediateDer),
      })),
    };
  }

  /** Applies the rotation schedule at the current time; returns the transitions it made. */
  async tick(): Promise<CaTransition[]> {
    return this.#mutate((state) => {
      const decision = decideCaSchedule(state?.generations ?? [], this.#options.clock());

      return decision.retire.length > 0 || decision.prepare || decision.activate ? decision : null;
    });
  }

  /** Admin rotation: prepares a successor if there is none and activates it now. */
  async rotate(): Promise<CaTransition[]> {
    return this.#mutate((state) => {
      const decision = decideCaSchedule(state?.generations ?? [], this.#options.clock());
      const prepared = state?.generations.some((g) => g.state === 'prepared') ?? false;

      return { retire: decision.retire, prepare: !prepared, activate: true };
    });
  }

  /** Reloads the shared state written by other replicas; true when it changed. */
  async refresh(): Promise<boolean> {
    return this.#serialize(async () => {
      const loaded = await this.#options.repo.load();
      if (!loaded || this.#isCurrent(loaded)) return false;
      await this.#adopt(loaded);

      return true;
    });
  }

  #isCurrent(loaded: VersionedValue): boolean {
    return this.#current?.version === loaded.version && this.#current.value === loaded.value;
  }

  async #mutate(
    decide: (
      state: CaStateRecord | null,
    ) => { retire: string[]; prepare: boolean; activate: boolean } | null,
  ): Promise<CaTransition[]> {
    return this.#serialize(async () => {
      const attempts = this.#options.maxAttempts ?? 5;
      for (let attempt = 0; attempt < attempts; attempt += 1) {
        const loaded = await this.#options.repo.load();
        const state = loaded ? this.#parse(loaded.value) : null;
        const decision = decide(state);
        if (!decision) {
          if (loaded && !this.#isCurrent(loaded)) await this.#adopt(loaded);
          return [];
        }

        const { next, transitions } = await this.#apply(state, decision);
        const value = serializeCaState(next);
        const expectedVersion = loaded?.version ?? 0;
        if (await this.#options.repo.save(expectedVersion, value)) {
          await this.#adopt({ version: expectedVersion + 1, value });
          return transitions;
        }
        // Another replica wrote first: reload and decide again on its state.
      }
      throw new CaStateError('ca_state_conflict', 'ca state kept changing under compare-and-set');
    });
  }

  async #apply(
    state: CaStateRecord | null,
    decision: { retire: string[]; prepare: boolean; activate: boolean },
  ): Promise<{ next: CaStateRecord; transitions: CaTransition[] }> {
    const transitions: CaTransition[] = [];
    const sequence = (state?.sequence ?? 0) + 1;
    let generations = (state?.generations ?? []).filter((g) => !decision.retire.includes(g.id));
    transitions.push(
      ...decision.retire.map((id) => ({ kind: 'retired' as const, generationId: id })),
    );

    if (decision.prepare && !generations.some((g) => g.state === 'prepared')) {
      const prepared = await this.#createGeneration(sequence);
      generations = [...generations, prepared];
      transitions.push({ kind: 'prepared', generationId: prepared.id });
    }
    const prepared = generations.find((g) => g.state === 'prepared');
    if (decision.activate && prepared) {
      generations = generations.map((g) => {
        if (g.state === 'active') return { ...g, state: 'old' as const };
        if (g.id === prepared.id) return { ...g, state: 'active' as const };
        return g;
      });
      transitions.push({ kind: 'activated', generationId: prepared.id });
    }

    return {
      next: { format: 1, trustDomain: this.#options.trustDomain, sequence, generations },
      transitions,
    };
  }

  async #createGeneration(sequence: number): Promise<CaGenerationRecord> {
    // The random part keeps ids (and so key names) apart when replicas prepare at once.
    const id = `g${sequence}-${randomBytes(4).toString('hex')}`;
    const rootKey = `ca/${id}/root`;
    const intermediateKey = `ca/${id}/intermediate`;
    const rootSigner = await this.#options.signers.create(rootKey);
    const intermediateSigner = await this.#options.signers.create(intermediateKey);
    this.#signers.set(intermediateKey, intermediateSigner);
    const created = await createCaGeneration({
      trustDomain: this.#options.trustDomain,
      generationId: id,
      nowSeconds: this.#options.clock(),
      ttlSeconds: this.#options.caTtlSeconds,
      rootSigner,
      intermediateSigner,
    });

    return {
      id,
      state: 'prepared',
      rootPem: writePem('CERTIFICATE', created.rootDer),
      intermediatePem: writePem('CERTIFICATE', created.intermediateDer),
      rootKey,
      intermediateKey,
      notBefore: created.notBefore,
      notAfter: created.notAfter,
    };
  }

  #parse(value: string): CaStateRecord {
    const state = parseCaState(value);
    if (state.trustDomain !== this.#options.trustDomain) {
      throw new CaStateError(
        'ca_state_invalid',
        `ca state is for trust domain ${state.trustDomain}, not ${this.#options.trustDomain}`,
      );
    }

    return state;
  }

  async #adopt(loaded: VersionedValue): Promise<void> {
    const state = this.#parse(loaded.value);
    const generations = state.generations
      .map((record) => loadGeneration(record))
      .sort((a, b) => STATE_ORDER[a.record.state] - STATE_ORDER[b.record.state]);
    const active = generations.find((g) => g.record.state === 'active');
    const keepIssuer = active?.record.id === this.#activeIssuerId && this.#activeIssuer !== null;
    const issuer = keepIssuer ? this.#activeIssuer : active ? await this.#issuerFor(active) : null;

    // Everything is computed before anything is replaced, so a failure leaves the old state.
    this.#current = loaded;
    this.#state = state;
    this.#generations = generations;
    this.#activeIssuer = issuer;
    this.#activeIssuerId = active?.record.id ?? null;
  }

  async #issuerFor(generation: LoadedGeneration): Promise<CertificateIssuer | null> {
    const name = generation.record.intermediateKey;
    const signer = this.#signers.get(name) ?? (await this.#options.signers.load(name));
    if (!signer) return null;
    this.#signers.set(name, signer);

    return new CertificateIssuer({
      trustDomain: this.#options.trustDomain,
      certificate: generation.intermediateDer,
      chain: [generation.intermediateDer],
      signer,
    });
  }

  async #issue(params: IssueSvidParams): Promise<IssuedSvid> {
    this.#requireState();
    if (!this.#activeIssuer) {
      // Limitation: keys of the memory signer live in one process; a replica that did not
      // create the active generation cannot issue unless the keys are shared (file signer).
      throw new CaStateError(
        'ca_signer_missing',
        `signer key of active ca generation ${this.#activeIssuerId ?? 'none'} is not available`,
      );
    }

    return this.#activeIssuer.issueSvid(params);
  }

  #requireState(): CaStateRecord {
    if (!this.#state) throw new CaStateError('ca_not_initialized', 'ca manager is not initialized');

    return this.#state;
  }

  #serialize<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work, work);
    this.#queue = run.catch(() => undefined);

    return run;
  }
}

function loadGeneration(record: CaGenerationRecord): LoadedGeneration {
  try {
    const [rootDer] = parsePemCertificates(record.rootPem);
    const [intermediateDer] = parsePemCertificates(record.intermediatePem);
    readCertificateParts(rootDer);
    readCertificateParts(intermediateDer);

    return { record, rootDer, intermediateDer };
  } catch (error) {
    throw new CaStateError(
      'ca_state_invalid',
      `ca generation ${record.id} holds bad certificates`,
      {
        cause: error,
      },
    );
  }
}
