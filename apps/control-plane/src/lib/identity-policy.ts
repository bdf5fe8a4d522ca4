import { inject, injectable } from 'tsyringe';

import { parseSpiffeId } from '@zen/identity';
import { STORE } from '@zen/store';
import type { EnrollmentRecord, Store } from '@zen/store';

import { PeerRefusedError } from './errors';

/** Components allowed to read verifier keys and the eviction list. */
export const VERIFIER_COMPONENTS = ['ingester', 'egress'];

/**
 * Decides what an authenticated identity may do: eviction, confirmation state, and the
 * component or admin role carried in its SPIFFE ID path.
 */
@injectable()
export class IdentityPolicy {
  constructor(@inject(STORE) private readonly store: Store) {}

  /** True when the SVID with this serial belongs to an identity evicted after it was issued. */
  async isSvidEvicted(spiffeId: string, serial: string): Promise<boolean> {
    const eviction = await this.store.getEviction(spiffeId);
    if (!eviction) return false;
    if (eviction.serials.includes(serial)) return true;
    const svid = await this.store.getSvid(serial);
    if (!svid || svid.spiffeId !== spiffeId) return true;
    const enrollment = await this.store.getEnrollment(svid.enrollmentId);

    return !enrollment || enrollment.createdAt <= eviction.evictedAt;
  }

  /** True when the enrollment was made before its SPIFFE ID was evicted. */
  async isEnrollmentEvicted(enrollment: EnrollmentRecord): Promise<boolean> {
    const eviction = await this.store.getEviction(enrollment.spiffeId);

    return eviction !== null && enrollment.createdAt <= eviction.evictedAt;
  }

  /** Throws 403 unless the enrollment is confirmed and not evicted. */
  async assertActive(enrollment: EnrollmentRecord | null): Promise<EnrollmentRecord> {
    if (!enrollment) throw new PeerRefusedError('enrollment_unknown');
    if (await this.isEnrollmentEvicted(enrollment)) throw new PeerRefusedError('identity_evicted');
    if (enrollment.status !== 'active') throw new PeerRefusedError('identity_unconfirmed');

    return enrollment;
  }

  /** Throws 403 unless the SPIFFE ID is an ingester or egress identity. */
  assertVerifier(spiffeId: string): void {
    if (!VERIFIER_COMPONENTS.includes(componentOf(spiffeId))) {
      throw new PeerRefusedError('not_a_verifier');
    }
  }

  /** True when the SPIFFE ID is an operator identity `spiffe://<td>/admin/<name>`. */
  isAdmin(spiffeId: string): boolean {
    const segments = parseSpiffeId(spiffeId).path.split('/').filter(Boolean);

    return segments.length === 2 && segments[0] === 'admin';
  }
}

/** The first path segment of a SPIFFE ID (its component), or '' when it has none. */
export function componentOf(spiffeId: string): string {
  const segments = parseSpiffeId(spiffeId).path.split('/').filter(Boolean);

  return segments.length === 2 ? segments[0] : '';
}
