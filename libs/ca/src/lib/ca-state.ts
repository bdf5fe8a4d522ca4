import { z } from 'zod';

import { CaStateError } from './errors';

/** Where a CA generation is in its life: announced, issuing, or kept only to verify. */
export type CaGenerationState = 'prepared' | 'active' | 'old';

/** One generation as persisted: certificates as PEM, keys by signer name only. */
export interface CaGenerationRecord {
  id: string;
  state: CaGenerationState;
  rootPem: string;
  intermediatePem: string;
  /** Signer key names; the key material itself never enters the state. */
  rootKey: string;
  intermediateKey: string;
  /** Unix seconds, shared by root and intermediate. */
  notBefore: number;
  notAfter: number;
}

/** The whole persisted CA state. */
export interface CaStateRecord {
  format: 1;
  trustDomain: string;
  /** Bundle sequence: increases on every change. */
  sequence: number;
  generations: CaGenerationRecord[];
}

const PEM_CERTIFICATE =
  /^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n$/;

const generationSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9-]{1,40}$/),
  state: z.enum(['prepared', 'active', 'old']),
  rootPem: z.string().regex(PEM_CERTIFICATE),
  intermediatePem: z.string().regex(PEM_CERTIFICATE),
  rootKey: z.string().min(1).max(200),
  intermediateKey: z.string().min(1).max(200),
  notBefore: z.number().int(),
  notAfter: z.number().int(),
});

const stateSchema = z.object({
  format: z.literal(1),
  trustDomain: z.string().min(1),
  sequence: z.number().int().nonnegative(),
  generations: z.array(generationSchema),
});

/** Serializes the state as JSON with a stable key order. */
export function serializeCaState(state: CaStateRecord): string {
  return JSON.stringify({
    format: state.format,
    trustDomain: state.trustDomain,
    sequence: state.sequence,
    generations: state.generations.map((g) => ({
      id: g.id,
      state: g.state,
      rootPem: g.rootPem,
      intermediatePem: g.intermediatePem,
      rootKey: g.rootKey,
      intermediateKey: g.intermediateKey,
      notBefore: g.notBefore,
      notAfter: g.notAfter,
    })),
  });
}

/**
 * Parses persisted state and checks its invariants (at most one active and one prepared
 * generation, unique ids). Throws CaStateError `ca_state_invalid`.
 */
export function parseCaState(value: string): CaStateRecord {
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch (error) {
    throw new CaStateError('ca_state_invalid', 'ca state is not JSON', { cause: error });
  }
  const parsed = stateSchema.safeParse(json);
  if (!parsed.success) {
    throw new CaStateError('ca_state_invalid', 'ca state does not match its schema');
  }

  const state = parsed.data as CaStateRecord;
  const count = (kind: CaGenerationState) =>
    state.generations.filter((g) => g.state === kind).length;
  const ids = new Set(state.generations.map((g) => g.id));
  if (count('active') > 1 || count('prepared') > 1 || ids.size !== state.generations.length) {
    throw new CaStateError('ca_state_invalid', 'ca state breaks its generation invariants');
  }

  return state;
}
