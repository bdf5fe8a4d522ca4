import { createHash, randomBytes } from 'node:crypto';

import {
  EMPTY_AUDIT_HASH,
  type EnrollmentRecord,
  type HmacKeyRecord,
  type SvidRecord,
  type TokenRecord,
} from './records';
import { DEFAULT_NONCE_RETENTION_SECONDS, DEFAULT_TOKEN_RETENTION_SECONDS } from './retention';
import type { StoreRetentionOptions } from './retention';
import type { Store } from './store';

/** A store that can list everything it holds, as both plugins do for tests. */
interface DumpableStore extends Store {
  dump(): Promise<Record<string, string>>;
}

const RACERS = 50;
const HOUR = 3600;
const CONFIRM_WINDOW = 600;

function hex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** A fresh unused token for one agent, made at `now`. */
export function makeToken(now: number, overrides: Partial<TokenRecord> = {}): TokenRecord {
  const name = `agent-${hex(3)}`;

  return {
    tokenId: hex(8),
    component: 'zen-agent',
    name,
    spiffeId: `spiffe://zen.mesh/zen-agent/${name}`,
    createdAt: now,
    expiresAt: now + HOUR,
    state: 'unused',
    failedMacs: 0,
    locked: false,
    enrollmentId: null,
    createdBy: 'spiffe://zen.mesh/admin/ops',
    ...overrides,
  };
}

/** The records a claim stores. */
export interface ClaimParts {
  enrollment: EnrollmentRecord;
  hmacKey: HmacKeyRecord;
}

/** A pending enrollment and its wrapped HMAC key record for `token`. */
export function makeClaim(token: TokenRecord, now: number, publicKeySha256 = hex(32)): ClaimParts {
  const enrollmentId = hex(16);
  const hmacKeyId = hex(8);
  const enrollment: EnrollmentRecord = {
    enrollmentId,
    tokenId: token.tokenId,
    spiffeId: token.spiffeId,
    component: token.component,
    name: token.name,
    publicKeySha256,
    hmacKeyId,
    status: 'pending',
    createdAt: now,
    confirmBy: now + CONFIRM_WINDOW,
    confirmedAt: null,
    lastSerial: null,
    lastExpiresAt: null,
  };
  const hmacKey: HmacKeyRecord = {
    hmacKeyId,
    spiffeId: token.spiffeId,
    enrollmentId,
    wrappedKey: randomBytes(60).toString('base64'),
    createdAt: now,
    expiresAt: now + 2 * HOUR,
  };

  return { enrollment, hmacKey };
}

function makeSvid(enrollment: EnrollmentRecord, notAfter: number): SvidRecord {
  return {
    serial: hex(9).replace(/^0+/, ''),
    spiffeId: enrollment.spiffeId,
    enrollmentId: enrollment.enrollmentId,
    certSha256: hex(32),
    publicKeySha256: enrollment.publicKeySha256,
    notAfter,
  };
}

function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Makes a fresh, empty, not yet started store with the given retention options. */
export type StoreFactory = (retention?: StoreRetentionOptions) => Promise<Store>;

/**
 * The behaviour every Store plugin must show, as a jest suite. `factory` returns a fresh, empty,
 * not yet started store for each test, honouring the retention options it is given; the suite
 * starts and closes it. Times are passed in, so nothing sleeps; expiry and retention are checked
 * with records whose expiry is already past by less or more than the retention.
 */
export function describeStoreContract(name: string, factory: StoreFactory): void {
  describe(`${name} (Store contract)`, () => {
    let store: Store;
    let now: number;

    beforeEach(async () => {
      now = Math.floor(Date.now() / 1000);
      store = await factory();
      await store.start();
    });

    afterEach(async () => {
      await store.close();
    });

    /** Runs `body` on a second store made with `retention`, closed afterwards. */
    async function withStore(
      retention: StoreRetentionOptions,
      body: (other: Store) => Promise<void>,
    ): Promise<void> {
      const other = await factory(retention);
      await other.start();
      try {
        await body(other);
      } finally {
        await other.close();
      }
    }

    async function claimed(token = makeToken(now)): Promise<ClaimParts & { token: TokenRecord }> {
      await store.putToken(token);
      const parts = makeClaim(token, now);
      const result = await store.claimToken({ tokenId: token.tokenId, nowSeconds: now, ...parts });
      expect(result.kind).toBe('claimed');

      return { token, ...parts };
    }

    it('answers ping while up', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    describe('tokens', () => {
      it('returns a stored token unchanged', async () => {
        const token = makeToken(now);

        await store.putToken(token);

        expect(await store.getToken(token.tokenId)).toEqual(token);
      });

      it('returns null for an unknown token', async () => {
        expect(await store.getToken(hex(8))).toBeNull();
      });

      it('returns an expired token, expiresAt in the past, while it is retained', async () => {
        const token = makeToken(now - 2 * HOUR, { expiresAt: now - 10 });

        await store.putToken(token);

        expect(await store.getToken(token.tokenId)).toEqual(token);
      });

      it('drops an expired token once the default retention of one day has passed', async () => {
        const expiresAt = now - DEFAULT_TOKEN_RETENTION_SECONDS - 10;
        const token = makeToken(expiresAt - HOUR, { expiresAt });

        await store.putToken(token);

        expect(await store.getToken(token.tokenId)).toBeNull();
      });

      it('keeps an expired token for the configured retention, then drops it', async () => {
        await withStore({ tokenRetentionSeconds: 100 }, async (other) => {
          const retained = makeToken(now - HOUR, { expiresAt: now - 90 });
          const gone = makeToken(now - HOUR, { expiresAt: now - 110 });

          await other.putToken(retained);
          await other.putToken(gone);

          expect(await other.getToken(retained.tokenId)).toEqual(retained);
          expect(await other.getToken(gone.tokenId)).toBeNull();
        });
      });
    });

    describe('recordFailedMac', () => {
      it('counts failures and locks the token at the maximum', async () => {
        const token = makeToken(now);
        await store.putToken(token);

        const results = [];
        for (let i = 0; i < 5; i += 1) results.push(await store.recordFailedMac(token.tokenId, 5));

        expect(results.map((r) => r?.locked)).toEqual([false, false, false, false, true]);
        expect(results[4]).toEqual({ failedMacs: 5, locked: true });
        expect(await store.getToken(token.tokenId)).toMatchObject({ failedMacs: 5, locked: true });
      });

      it('keeps a locked token locked on further failures', async () => {
        const token = makeToken(now, { failedMacs: 5, locked: true });
        await store.putToken(token);

        const result = await store.recordFailedMac(token.tokenId, 5);

        expect(result).toEqual({ failedMacs: 6, locked: true });
      });

      it('returns null for an unknown token', async () => {
        expect(await store.recordFailedMac(hex(8), 5)).toBeNull();
      });

      it('counts 50 concurrent failures exactly', async () => {
        const token = makeToken(now);
        await store.putToken(token);

        await Promise.all(
          Array.from({ length: RACERS }, () => store.recordFailedMac(token.tokenId, 5)),
        );

        expect(await store.getToken(token.tokenId)).toMatchObject({ failedMacs: 50, locked: true });
      });
    });

    describe('claimToken', () => {
      it('claims an unused token and stores the enrollment and HMAC key record', async () => {
        const token = makeToken(now);
        await store.putToken(token);
        const parts = makeClaim(token, now);

        const result = await store.claimToken({
          tokenId: token.tokenId,
          nowSeconds: now,
          ...parts,
        });

        const pending = { ...token, state: 'pending', enrollmentId: parts.enrollment.enrollmentId };
        expect(result).toEqual({ kind: 'claimed', token: pending, enrollment: parts.enrollment });
        expect(await store.getToken(token.tokenId)).toEqual(pending);
        expect(await store.getEnrollment(parts.enrollment.enrollmentId)).toEqual(parts.enrollment);
        expect(await store.getHmacKey(parts.hmacKey.hmacKeyId)).toEqual(parts.hmacKey);
      });

      it('resumes a pending claim for the same public key inside the confirm window', async () => {
        const first = await claimed();
        const retry = makeClaim(first.token, now + 60, first.enrollment.publicKeySha256);

        const result = await store.claimToken({
          tokenId: first.token.tokenId,
          nowSeconds: now + 60,
          ...retry,
        });

        expect(result.kind).toBe('resumed');
        expect(result.kind !== 'denied' && result.enrollment).toEqual(first.enrollment);
        expect(await store.getEnrollment(retry.enrollment.enrollmentId)).toBeNull();
        expect(await store.getHmacKey(retry.hmacKey.hmacKeyId)).toBeNull();
        expect(await store.getHmacKey(first.hmacKey.hmacKeyId)).toEqual(first.hmacKey);
      });

      it('resumes after the token expiry while the confirm window is still open', async () => {
        const first = await claimed(makeToken(now, { expiresAt: now + 100 }));
        const retry = makeClaim(first.token, now + 200, first.enrollment.publicKeySha256);

        const result = await store.claimToken({
          tokenId: first.token.tokenId,
          nowSeconds: now + 200,
          ...retry,
        });

        expect(result.kind).toBe('resumed');
      });

      it('denies an unknown token', async () => {
        const token = makeToken(now);

        const result = await store.claimToken({
          tokenId: token.tokenId,
          nowSeconds: now,
          ...makeClaim(token, now),
        });

        expect(result).toEqual({ kind: 'denied', reason: 'token_unknown' });
      });

      it('denies a token at its expiry', async () => {
        const token = makeToken(now);
        await store.putToken(token);

        const result = await store.claimToken({
          tokenId: token.tokenId,
          nowSeconds: token.expiresAt,
          ...makeClaim(token, token.expiresAt),
        });

        expect(result).toEqual({ kind: 'denied', reason: 'token_expired' });
      });

      it('denies an expired token it still retains with token_expired', async () => {
        const token = makeToken(now - 2 * HOUR, { expiresAt: now - 10 });
        await store.putToken(token);

        const result = await store.claimToken({
          tokenId: token.tokenId,
          nowSeconds: now,
          ...makeClaim(token, now),
        });

        expect(result).toEqual({ kind: 'denied', reason: 'token_expired' });
        expect(await store.getToken(token.tokenId)).toEqual(token);
      });

      it('denies an expired token past its retention with token_unknown', async () => {
        const expiresAt = now - DEFAULT_TOKEN_RETENTION_SECONDS - 10;
        const token = makeToken(expiresAt - HOUR, { expiresAt });
        await store.putToken(token);

        const result = await store.claimToken({
          tokenId: token.tokenId,
          nowSeconds: now,
          ...makeClaim(token, now),
        });

        expect(result).toEqual({ kind: 'denied', reason: 'token_unknown' });
      });

      it('denies a token spent by a confirmed enrollment, even for the same key', async () => {
        const first = await claimed();
        await store.confirmEnrollment(first.enrollment.enrollmentId, now + 1);
        const retry = makeClaim(first.token, now + 2, first.enrollment.publicKeySha256);

        const result = await store.claimToken({
          tokenId: first.token.tokenId,
          nowSeconds: now + 2,
          ...retry,
        });

        expect(result).toEqual({ kind: 'denied', reason: 'token_used' });
      });

      it('denies a token locked by failed MACs', async () => {
        const token = makeToken(now);
        await store.putToken(token);
        for (let i = 0; i < 5; i += 1) await store.recordFailedMac(token.tokenId, 5);

        const result = await store.claimToken({
          tokenId: token.tokenId,
          nowSeconds: now,
          ...makeClaim(token, now),
        });

        expect(result).toEqual({ kind: 'denied', reason: 'token_locked' });
      });

      it('denies a pending token to another public key', async () => {
        const first = await claimed();

        const result = await store.claimToken({
          tokenId: first.token.tokenId,
          nowSeconds: now + 1,
          ...makeClaim(first.token, now + 1),
        });

        expect(result).toEqual({ kind: 'denied', reason: 'key_mismatch' });
      });

      it('denies a pending token once its confirm window has closed', async () => {
        const first = await claimed();
        const confirmBy = first.enrollment.confirmBy;
        const retry = makeClaim(first.token, confirmBy, first.enrollment.publicKeySha256);

        const result = await store.claimToken({
          tokenId: first.token.tokenId,
          nowSeconds: confirmBy,
          ...retry,
        });

        expect(result).toEqual({ kind: 'denied', reason: 'token_used' });
      });

      it('refuses an enrollment that belongs to another token', async () => {
        const token = makeToken(now);
        await store.putToken(token);
        const parts = makeClaim(makeToken(now), now);

        const claim = store.claimToken({ tokenId: token.tokenId, nowSeconds: now, ...parts });

        await expect(claim).rejects.toThrow(TypeError);
      });

      it('lets exactly one of 50 concurrent claims with different keys win', async () => {
        const token = makeToken(now);
        await store.putToken(token);

        const results = await Promise.all(
          Array.from({ length: RACERS }, () =>
            store.claimToken({ tokenId: token.tokenId, nowSeconds: now, ...makeClaim(token, now) }),
          ),
        );

        expect(results.filter((r) => r.kind === 'claimed')).toHaveLength(1);
        expect(
          results.filter((r) => r.kind === 'denied' && r.reason === 'key_mismatch'),
        ).toHaveLength(RACERS - 1);
      });
    });

    describe('confirmEnrollment', () => {
      it('activates a pending enrollment and spends its token', async () => {
        const { token, enrollment } = await claimed();

        const result = await store.confirmEnrollment(enrollment.enrollmentId, now + 5);

        const active = { ...enrollment, status: 'active', confirmedAt: now + 5 };
        expect(result).toEqual({ kind: 'confirmed', enrollment: active });
        expect(await store.getEnrollment(enrollment.enrollmentId)).toEqual(active);
        expect(await store.getToken(token.tokenId)).toMatchObject({ state: 'spent' });
      });

      it('answers already_active for a second confirmation', async () => {
        const { enrollment } = await claimed();
        await store.confirmEnrollment(enrollment.enrollmentId, now + 5);

        const result = await store.confirmEnrollment(enrollment.enrollmentId, now + 6);

        expect(result.kind).toBe('already_active');
        expect(result.enrollment).toMatchObject({ status: 'active', confirmedAt: now + 5 });
      });

      it('answers expired once the confirm window has closed and leaves it pending', async () => {
        const { token, enrollment } = await claimed();

        const result = await store.confirmEnrollment(enrollment.enrollmentId, enrollment.confirmBy);

        expect(result).toEqual({ kind: 'expired', enrollment });
        expect(await store.getEnrollment(enrollment.enrollmentId)).toEqual(enrollment);
        expect(await store.getToken(token.tokenId)).toMatchObject({ state: 'pending' });
      });

      it('answers unknown for an unknown enrollment', async () => {
        const result = await store.confirmEnrollment(hex(16), now);

        expect(result).toEqual({ kind: 'unknown', enrollment: null });
      });
    });

    describe('enrollments', () => {
      it('finds the latest enrollment of a SPIFFE ID', async () => {
        const first = await claimed();
        const again = makeToken(now, {
          spiffeId: first.token.spiffeId,
          name: first.token.name,
        });
        const second = await claimed(again);

        const found = await store.findEnrollmentBySpiffeId(first.token.spiffeId);

        expect(found?.enrollmentId).toBe(second.enrollment.enrollmentId);
        expect(await store.findEnrollmentBySpiffeId('spiffe://zen.mesh/zen-agent/none')).toBeNull();
      });

      it('lists every enrollment, oldest first', async () => {
        const older = await claimed(makeToken(now));
        now += 1;
        const newer = await claimed(makeToken(now));

        const ids = (await store.listEnrollments()).map((e) => e.enrollmentId);

        expect(ids).toEqual([older.enrollment.enrollmentId, newer.enrollment.enrollmentId]);
      });

      it('returns null for an unknown enrollment', async () => {
        expect(await store.getEnrollment(hex(16))).toBeNull();
      });
    });

    describe('SVID records and HMAC keys', () => {
      it('stores an SVID and advances its enrollment and HMAC key', async () => {
        const { enrollment, hmacKey } = await claimed();
        const svid = makeSvid(enrollment, now + HOUR);

        await store.recordSvid(svid, now + 9 * HOUR);

        expect(await store.getSvid(svid.serial)).toEqual(svid);
        expect(await store.getEnrollment(enrollment.enrollmentId)).toMatchObject({
          lastSerial: svid.serial,
          lastExpiresAt: now + HOUR,
        });
        expect(await store.getHmacKey(hmacKey.hmacKeyId)).toEqual({
          ...hmacKey,
          expiresAt: now + 9 * HOUR,
        });
      });

      it('never moves lastSerial back to an SVID that expires earlier', async () => {
        const { enrollment } = await claimed();
        const later = makeSvid(enrollment, now + 2 * HOUR);
        const earlier = makeSvid(enrollment, now + HOUR);

        await store.recordSvid(later, now + 9 * HOUR);
        await store.recordSvid(earlier, now + 9 * HOUR);

        expect(await store.getEnrollment(enrollment.enrollmentId)).toMatchObject({
          lastSerial: later.serial,
        });
      });

      it('never shortens the HMAC key expiry', async () => {
        const { enrollment, hmacKey } = await claimed();

        await store.recordSvid(makeSvid(enrollment, now + 60), now + 60);

        expect(await store.getHmacKey(hmacKey.hmacKeyId)).toEqual(hmacKey);
      });

      it('drops an SVID record whose keep time has passed', async () => {
        const { enrollment } = await claimed();
        const svid = makeSvid(enrollment, now - 20);

        await store.recordSvid(svid, now - 10);

        expect(await store.getSvid(svid.serial)).toBeNull();
      });

      it('drops an HMAC key record whose expiry has passed', async () => {
        const token = makeToken(now);
        await store.putToken(token);
        const parts = makeClaim(token, now);
        parts.hmacKey.expiresAt = now - 10;

        await store.claimToken({ tokenId: token.tokenId, nowSeconds: now, ...parts });

        expect(await store.getHmacKey(parts.hmacKey.hmacKeyId)).toBeNull();
      });

      it('returns null for unknown serials and key ids', async () => {
        expect(await store.getSvid(hex(9))).toBeNull();
        expect(await store.getHmacKey(hex(8))).toBeNull();
      });
    });

    describe('nonces', () => {
      it('hands a nonce out once', async () => {
        const nonce = hex(32);
        await store.putNonce(nonce, { tokenId: 'abcdef0123456789', expiresAt: now + 60 });

        const first = await store.consumeNonce(nonce);
        const second = await store.consumeNonce(nonce);

        expect(first).toEqual({ tokenId: 'abcdef0123456789', expiresAt: now + 60 });
        expect(second).toBeNull();
      });

      it('returns null for an unknown nonce', async () => {
        expect(await store.consumeNonce(hex(32))).toBeNull();
      });

      it('hands an expired nonce out once while it is retained, then never again', async () => {
        const nonce = hex(32);
        await store.putNonce(nonce, { tokenId: 'abcdef0123456789', expiresAt: now - 1 });

        const first = await store.consumeNonce(nonce);
        const second = await store.consumeNonce(nonce);

        expect(first).toEqual({ tokenId: 'abcdef0123456789', expiresAt: now - 1 });
        expect(second).toBeNull();
      });

      it('drops an expired nonce once the default retention of 300 s has passed', async () => {
        const nonce = hex(32);
        const expiresAt = now - DEFAULT_NONCE_RETENTION_SECONDS - 1;

        await store.putNonce(nonce, { tokenId: 'abcdef0123456789', expiresAt });

        expect(await store.consumeNonce(nonce)).toBeNull();
      });

      it('keeps an expired nonce for the configured retention, then drops it', async () => {
        await withStore({ nonceRetentionSeconds: 30 }, async (other) => {
          const retained = hex(32);
          const gone = hex(32);
          await other.putNonce(retained, { tokenId: 'abcdef0123456789', expiresAt: now - 20 });
          await other.putNonce(gone, { tokenId: 'abcdef0123456789', expiresAt: now - 40 });

          const results = [await other.consumeNonce(retained), await other.consumeNonce(gone)];

          expect(results).toEqual([{ tokenId: 'abcdef0123456789', expiresAt: now - 20 }, null]);
        });
      });

      it('lets exactly one of 50 concurrent consumers have the nonce', async () => {
        const nonce = hex(32);
        await store.putNonce(nonce, { tokenId: 'abcdef0123456789', expiresAt: now + 60 });

        const results = await Promise.all(
          Array.from({ length: RACERS }, () => store.consumeNonce(nonce)),
        );

        expect(results.filter((r) => r !== null)).toHaveLength(1);
      });
    });

    describe('rememberOnce', () => {
      it('is true for a new key and false for a repeated one', async () => {
        const key = `kid:${hex(16)}`;

        expect(await store.rememberOnce(key, 600)).toBe(true);
        expect(await store.rememberOnce(key, 600)).toBe(false);
        expect(await store.rememberOnce(`kid:${hex(16)}`, 600)).toBe(true);
      });

      it('is true for exactly one of 50 concurrent callers', async () => {
        const key = `kid:${hex(16)}`;

        const results = await Promise.all(
          Array.from({ length: RACERS }, () => store.rememberOnce(key, 600)),
        );

        expect(results.filter(Boolean)).toHaveLength(1);
      });
    });

    describe('evictions', () => {
      it('records, returns and lists evictions oldest first', async () => {
        const a = {
          spiffeId: 'spiffe://zen.mesh/zen-agent/a',
          evictedAt: now,
          serials: ['1f'],
          actor: 'x',
        };
        const b = {
          spiffeId: 'spiffe://zen.mesh/egress/b',
          evictedAt: now + 1,
          serials: [],
          actor: 'y',
        };

        await store.evict(b);
        await store.evict(a);

        expect(await store.getEviction(a.spiffeId)).toEqual(a);
        expect(await store.listEvictions()).toEqual([a, b]);
        expect(await store.getEviction('spiffe://zen.mesh/zen-agent/none')).toBeNull();
      });

      it('replaces the eviction of an identity evicted again', async () => {
        const spiffeId = 'spiffe://zen.mesh/zen-agent/a';
        await store.evict({ spiffeId, evictedAt: now, serials: ['1f'], actor: 'x' });
        const again = { spiffeId, evictedAt: now + 5, serials: ['1f', '2e'], actor: 'y' };

        await store.evict(again);

        expect(await store.listEvictions()).toEqual([again]);
      });
    });

    describe('CA state', () => {
      it('is absent at first', async () => {
        expect(await store.getCaState()).toBeNull();
      });

      it('saves version by version and refuses a stale version', async () => {
        expect(await store.compareAndSetCaState(0, 'one')).toBe(true);
        expect(await store.compareAndSetCaState(1, 'two')).toBe(true);

        const stale = await store.compareAndSetCaState(1, 'stale');

        expect(stale).toBe(false);
        expect(await store.getCaState()).toEqual({ version: 2, value: 'two' });
      });

      it('lets exactly one of 50 concurrent writers of one version win', async () => {
        const results = await Promise.all(
          Array.from({ length: RACERS }, (_, i) => store.compareAndSetCaState(0, `v${i}`)),
        );

        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await store.getCaState()).toMatchObject({ version: 1 });
      });
    });

    describe('audit', () => {
      async function appendChain(count: number): Promise<string[]> {
        const jsons: string[] = [];
        let prevHash = EMPTY_AUDIT_HASH;
        for (let seq = 1; seq <= count; seq += 1) {
          const json = JSON.stringify({ seq, type: 'test.event', prev_hash: prevHash });
          const hash = sha(`${prevHash}\n${json}`);
          expect(await store.appendAudit({ seq, prevHash, hash, json })).toBe(true);
          jsons.push(json);
          prevHash = hash;
        }

        return jsons;
      }

      it('starts with an empty head', async () => {
        expect(await store.getAuditHead()).toEqual({ seq: 0, hash: EMPTY_AUDIT_HASH });
      });

      it('appends on the head and moves it', async () => {
        const hash = sha('first');

        const ok = await store.appendAudit({
          seq: 1,
          prevHash: EMPTY_AUDIT_HASH,
          hash,
          json: '{}',
        });

        expect(ok).toBe(true);
        expect(await store.getAuditHead()).toEqual({ seq: 1, hash });
      });

      it('refuses a record whose seq or prevHash does not follow the head', async () => {
        const [json] = await appendChain(1);
        const head = await store.getAuditHead();

        const gap = await store.appendAudit({ seq: 3, prevHash: head.hash, hash: sha('a'), json });
        const again = await store.appendAudit({
          seq: 1,
          prevHash: EMPTY_AUDIT_HASH,
          hash: sha('b'),
          json,
        });
        const fork = await store.appendAudit({ seq: 2, prevHash: sha('x'), hash: sha('c'), json });

        expect([gap, again, fork]).toEqual([false, false, false]);
        expect(await store.getAuditHead()).toEqual(head);
        expect(await store.listAudit(0, 10)).toHaveLength(1);
      });

      it('lists records after a seq in pages, ascending', async () => {
        const jsons = await appendChain(5);

        expect(await store.listAudit(0, 2)).toEqual(jsons.slice(0, 2));
        expect(await store.listAudit(2, 2)).toEqual(jsons.slice(2, 4));
        expect(await store.listAudit(4, 10)).toEqual(jsons.slice(4));
        expect(await store.listAudit(5, 10)).toEqual([]);
      });

      it('lets exactly one of 50 concurrent appends with the same seq win', async () => {
        const results = await Promise.all(
          Array.from({ length: RACERS }, (_, i) =>
            store.appendAudit({
              seq: 1,
              prevHash: EMPTY_AUDIT_HASH,
              hash: sha(`racer ${i}`),
              json: JSON.stringify({ seq: 1, racer: i }),
            }),
          ),
        );

        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await store.listAudit(0, 100)).toHaveLength(1);
      });
    });

    describe('hitRateLimit', () => {
      it('allows the given points, then refuses with a retry time', async () => {
        const limit = { points: 3, durationSeconds: 60 };
        const bucket = `b${hex(4)}`;

        const results = [];
        for (let i = 0; i < 4; i += 1) results.push(await store.hitRateLimit(bucket, 'ip', limit));

        expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
        expect(results[0].retryAfterSeconds).toBe(0);
        expect(results[3].retryAfterSeconds).toBeGreaterThanOrEqual(1);
        expect(results[3].retryAfterSeconds).toBeLessThanOrEqual(60);
      });

      it('counts keys and buckets apart', async () => {
        const limit = { points: 1, durationSeconds: 60 };
        const bucket = `b${hex(4)}`;
        await store.hitRateLimit(bucket, 'a', limit);

        const otherKey = await store.hitRateLimit(bucket, 'b', limit);
        const otherBucket = await store.hitRateLimit(`${bucket}x`, 'a', limit);
        const same = await store.hitRateLimit(bucket, 'a', limit);

        expect([otherKey.allowed, otherBucket.allowed, same.allowed]).toEqual([true, true, false]);
      });
    });

    describe('secrets', () => {
      it('holds no secret it was not given: token secret, clear HMAC key, raw nonces', async () => {
        const tokenSecret = randomBytes(32);
        const clearHmacKey = randomBytes(32);
        const challengeNonce = hex(32);
        const requestNonce = hex(16);
        const token = makeToken(now);
        await store.putToken(token);
        const parts = makeClaim(token, now);
        await store.putNonce(challengeNonce, { tokenId: token.tokenId, expiresAt: now + 60 });
        await store.rememberOnce(`${parts.hmacKey.hmacKeyId}:${requestNonce}`, 600);

        await store.claimToken({ tokenId: token.tokenId, nowSeconds: now, ...parts });
        await store.recordSvid(makeSvid(parts.enrollment, now + HOUR), now + 2 * HOUR);

        expect(typeof (store as Partial<DumpableStore>).dump).toBe('function');
        const dump = JSON.stringify(await (store as DumpableStore).dump());
        expect(dump).toContain(token.tokenId);
        expect(dump).toContain(parts.hmacKey.wrappedKey);
        for (const secret of [tokenSecret, clearHmacKey]) {
          expect(dump).not.toContain(secret.toString('hex'));
          expect(dump).not.toContain(secret.toString('base64'));
        }
        expect(dump).not.toContain(challengeNonce);
        expect(dump).not.toContain(requestNonce);
      });
    });
  });
}
