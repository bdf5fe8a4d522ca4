import { createHash } from 'node:crypto';

import { CaManager } from './ca-manager';
import { MemoryCaStateRepository, type CaStateRepository } from './ca-state-repository';
import { generateKeyAndCsr } from './key-and-csr';
import { MemorySignerFactory } from './signer/memory-signer';
import type { SignerFactory } from './signer/signer';
import { parsePemCertificates } from '@zen/identity';

const T0 = 1_800_000_000;
const CA_TTL = 6000;
// Generation 1: notBefore T0-60, notAfter T0+6000, lifetime 6060 s.
const G1_PREPARE_AT = T0 - 60 + 3030;
const G1_ACTIVATE_AT = T0 + 6000 - 1010;
const ID = 'spiffe://zen.mesh/zen-agent/node-1';

const sha256 = (der: Buffer) => createHash('sha256').update(der).digest('hex');

interface Harness {
  now: number;
  manager: CaManager;
}

function makeManager(
  repo: CaStateRepository,
  signers: SignerFactory,
  clockOwner: { now: number },
  trustDomain = 'zen.mesh',
): CaManager {
  return new CaManager({
    trustDomain,
    caTtlSeconds: CA_TTL,
    signers,
    repo,
    clock: () => clockOwner.now,
  });
}

async function issuingIntermediateSha(manager: CaManager, now: number): Promise<string> {
  const svid = await manager.issuer().issueSvid({
    publicKeySpki: generateKeyAndCsr().publicKeySpki,
    spiffeId: ID,
    ttlSeconds: 600,
    nowSeconds: now,
  });

  return sha256(parsePemCertificates(svid.chainPem)[1]);
}

function rootShas(manager: CaManager): string[] {
  return manager.bundle().roots.map(sha256);
}

describe('CaManager', () => {
  let h: Harness;

  beforeEach(async () => {
    const clock = { now: T0 };
    h = {
      get now() {
        return clock.now;
      },
      set now(value: number) {
        clock.now = value;
      },
      manager: makeManager(new MemoryCaStateRepository(), new MemorySignerFactory(), clock),
    };
  });

  it('creates one active generation on first init and reports it', async () => {
    const transitions = await h.manager.init();

    const status = h.manager.status();
    expect(transitions.map((t) => t.kind)).toEqual(['prepared', 'activated']);
    expect(status.generations).toHaveLength(1);
    expect(status.generations[0]).toMatchObject({
      state: 'active',
      notBefore: T0 - 60,
      notAfter: T0 + CA_TTL,
    });
    expect(status.activeGenerationId).toBe(status.generations[0].id);
    expect(status.sequence).toBe(1);
    expect(rootShas(h.manager)).toEqual([status.generations[0].rootSha256]);
  });

  it('follows the full rotation timeline: prepare, activate, prepare again, retire', async () => {
    await h.manager.init();
    const g1 = h.manager.status().generations[0];

    h.now = G1_PREPARE_AT - 1;
    expect(await h.manager.tick()).toEqual([]);
    expect(h.manager.bundle().sequence).toBe(1);

    h.now = G1_PREPARE_AT;
    const prepared = await h.manager.tick();
    const g2 = h.manager.status().generations.find((g) => g.state === 'prepared');
    expect(prepared).toEqual([{ kind: 'prepared', generationId: g2?.id }]);
    expect(h.manager.bundle().sequence).toBe(2);
    expect(rootShas(h.manager)).toEqual([g1.rootSha256, g2?.rootSha256]);
    expect(await issuingIntermediateSha(h.manager, h.now)).toBe(g1.intermediateSha256);

    h.now = G1_ACTIVATE_AT - 1;
    expect(await h.manager.tick()).toEqual([]);

    h.now = G1_ACTIVATE_AT;
    expect(await h.manager.tick()).toEqual([{ kind: 'activated', generationId: g2?.id }]);
    expect(h.manager.status().generations.map((g) => [g.id, g.state])).toEqual([
      [g2?.id, 'active'],
      [g1.id, 'old'],
    ]);
    expect(h.manager.bundle().sequence).toBe(3);
    expect(rootShas(h.manager)).toEqual([g2?.rootSha256, g1.rootSha256]);
    expect(await issuingIntermediateSha(h.manager, h.now)).toBe(g2?.intermediateSha256);

    // Generation 2 was made at G1_PREPARE_AT: its own half-life falls before g1 expires.
    const g2PrepareAt = G1_PREPARE_AT - 60 + 3030;
    h.now = g2PrepareAt;
    const third = await h.manager.tick();
    expect(third.map((t) => t.kind)).toEqual(['prepared']);
    expect(h.manager.bundle().roots).toHaveLength(3);
    expect(h.manager.bundle().sequence).toBe(4);

    h.now = T0 + CA_TTL - 1;
    expect(await h.manager.tick()).toEqual([]);
    expect(rootShas(h.manager)).toContain(g1.rootSha256);

    h.now = T0 + CA_TTL;
    expect(rootShas(h.manager)).not.toContain(g1.rootSha256);
    expect(await h.manager.tick()).toEqual([{ kind: 'retired', generationId: g1.id }]);
    expect(h.manager.status().generations.map((g) => g.id)).not.toContain(g1.id);
    expect(h.manager.bundle().sequence).toBe(5);
  });

  it('caps SVID notAfter at the active CA notAfter', async () => {
    await h.manager.init();
    h.now = T0 + CA_TTL - 100;

    const svid = await h.manager.issuer().issueSvid({
      publicKeySpki: generateKeyAndCsr().publicKeySpki,
      spiffeId: ID,
      ttlSeconds: 3600,
      nowSeconds: h.now,
    });

    expect(svid.notAfter).toBe(T0 + CA_TTL);
  });

  it('rotates on admin request: prepares and activates at once', async () => {
    await h.manager.init();
    const g1 = h.manager.status().generations[0];

    const transitions = await h.manager.rotate();

    expect(transitions.map((t) => t.kind)).toEqual(['prepared', 'activated']);
    const active = h.manager.status().generations[0];
    expect(active.state).toBe('active');
    expect(active.id).not.toBe(g1.id);
    expect(rootShas(h.manager)).toEqual([active.rootSha256, g1.rootSha256]);
    expect(h.manager.bundle().sequence).toBe(2);
    expect(await issuingIntermediateSha(h.manager, h.now)).toBe(active.intermediateSha256);
  });

  it('activates the prepared generation on admin request without making another', async () => {
    await h.manager.init();
    h.now = G1_PREPARE_AT;
    const [prepared] = await h.manager.tick();

    const transitions = await h.manager.rotate();

    expect(transitions).toEqual([{ kind: 'activated', generationId: prepared.generationId }]);
    expect(h.manager.status().generations).toHaveLength(2);
  });

  it('prepares and activates at once after a downtime that outlived the active CA', async () => {
    await h.manager.init();
    const g1 = h.manager.status().generations[0];
    h.now = T0 + CA_TTL + 10;

    const transitions = await h.manager.tick();

    expect(transitions.map((t) => t.kind)).toEqual(['prepared', 'activated']);
    expect(rootShas(h.manager)).toEqual([h.manager.status().generations[0].rootSha256]);
    expect(await h.manager.tick()).toEqual([{ kind: 'retired', generationId: g1.id }]);
  });

  it('persists certificates and key names but never key material', async () => {
    const repo = new MemoryCaStateRepository();
    const manager = makeManager(repo, new MemorySignerFactory(), { now: T0 });
    await manager.init();

    const stored = await repo.load();

    expect(stored?.version).toBe(1);
    const state = JSON.parse(stored?.value ?? '{}');
    expect(state.sequence).toBe(1);
    expect(state.generations[0].rootKey).toMatch(/^ca\/g1-[0-9a-f]{8}\/root$/);
    expect(state.generations[0].intermediateKey).toMatch(/^ca\/g1-[0-9a-f]{8}\/intermediate$/);
    expect(stored?.value).toContain('BEGIN CERTIFICATE');
    expect(stored?.value).not.toContain('PRIVATE KEY');
  });

  it('refuses to issue or publish before init', async () => {
    await expect(
      h.manager.issuer().issueSvid({
        publicKeySpki: generateKeyAndCsr().publicKeySpki,
        spiffeId: ID,
        ttlSeconds: 60,
        nowSeconds: T0,
      }),
    ).rejects.toMatchObject({ code: 'ca_not_initialized' });
    expect(() => h.manager.bundle()).toThrow(
      expect.objectContaining({ code: 'ca_not_initialized' }),
    );
  });
});

describe('CaManager replicas on one repository', () => {
  it('adopts the CA another replica created instead of making a second one', async () => {
    const repo = new MemoryCaStateRepository();
    const signers = new MemorySignerFactory();
    const clock = { now: T0 };
    const a = makeManager(repo, signers, clock);
    const b = makeManager(repo, signers, clock);

    await a.init();
    const transitions = await b.init();

    expect(transitions).toEqual([]);
    expect(b.status()).toEqual(a.status());
    expect(await issuingIntermediateSha(b, T0)).toBe(a.status().generations[0].intermediateSha256);
  });

  it('lets exactly one of two racing replicas prepare, and both converge', async () => {
    const inner = new MemoryCaStateRepository();
    let refusedSaves = 0;
    const repo: CaStateRepository = {
      load: () => inner.load(),
      save: async (version, value) => {
        const saved = await inner.save(version, value);
        if (!saved) refusedSaves += 1;
        return saved;
      },
    };
    const signers = new MemorySignerFactory();
    const clock = { now: T0 };
    const a = makeManager(repo, signers, clock);
    const b = makeManager(repo, signers, clock);
    await a.init();
    await b.init();
    clock.now = G1_PREPARE_AT;

    const [fromA, fromB] = await Promise.all([a.tick(), b.tick()]);

    expect(refusedSaves).toBe(1);
    expect([...fromA, ...fromB].map((t) => t.kind)).toEqual(['prepared']);
    expect(a.status()).toEqual(b.status());
    expect(a.bundle().sequence).toBe(2);
    expect(a.bundle().roots).toHaveLength(2);
  });

  it('refreshes from the repository when another replica rotated', async () => {
    const repo = new MemoryCaStateRepository();
    const signers = new MemorySignerFactory();
    const clock = { now: T0 };
    const a = makeManager(repo, signers, clock);
    const b = makeManager(repo, signers, clock);
    await a.init();
    await b.init();

    await a.rotate();

    expect(await b.refresh()).toBe(true);
    expect(await b.refresh()).toBe(false);
    expect(b.bundle().sequence).toBe(a.bundle().sequence);
    expect(await issuingIntermediateSha(b, T0)).toBe(a.status().generations[0].intermediateSha256);
  });

  it('gives up with ca_state_conflict when every compare-and-set fails', async () => {
    const inner = new MemoryCaStateRepository();
    const repo: CaStateRepository = { load: () => inner.load(), save: async () => false };
    const manager = makeManager(repo, new MemorySignerFactory(), { now: T0 });

    await expect(manager.init()).rejects.toMatchObject({ code: 'ca_state_conflict' });
  });

  it('serves the bundle but refuses to issue when the active key is not loadable', async () => {
    const repo = new MemoryCaStateRepository();
    const clock = { now: T0 };
    const a = makeManager(repo, new MemorySignerFactory(), clock);
    const b = makeManager(repo, new MemorySignerFactory(), clock);
    await a.init();
    await b.init();

    expect(b.bundle().roots).toHaveLength(1);
    await expect(issuingIntermediateSha(b, T0)).rejects.toMatchObject({
      code: 'ca_signer_missing',
    });
  });

  it('refuses state that belongs to another trust domain', async () => {
    const repo = new MemoryCaStateRepository();
    const signers = new MemorySignerFactory();
    await makeManager(repo, signers, { now: T0 }).init();

    await expect(
      makeManager(repo, signers, { now: T0 }, 'other.mesh').init(),
    ).rejects.toMatchObject({
      code: 'ca_state_invalid',
    });
  });

  it('refuses state whose certificates do not parse', async () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n';
    const repo = new MemoryCaStateRepository();
    await repo.save(
      0,
      JSON.stringify({
        format: 1,
        trustDomain: 'zen.mesh',
        sequence: 1,
        generations: [
          {
            id: 'g1-x',
            state: 'active',
            rootPem: pem,
            intermediatePem: pem,
            rootKey: 'ca/g1-x/root',
            intermediateKey: 'ca/g1-x/intermediate',
            notBefore: T0,
            notAfter: T0 + CA_TTL,
          },
        ],
      }),
    );

    await expect(
      makeManager(repo, new MemorySignerFactory(), { now: T0 }).init(),
    ).rejects.toMatchObject({ code: 'ca_state_invalid' });
  });

  it('refuses state that is not valid JSON', async () => {
    const repo = new MemoryCaStateRepository();
    await repo.save(0, '{"format": 1, "trustDomain": "zen.mesh"');

    await expect(
      makeManager(repo, new MemorySignerFactory(), { now: T0 }).init(),
    ).rejects.toMatchObject({ code: 'ca_state_invalid' });
  });
});
