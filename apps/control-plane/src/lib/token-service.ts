import { createHmac } from 'node:crypto';

import { inject, injectable } from 'tsyringe';

import { CLOCK, RANDOM, nowSeconds } from '@zen/config';
import type { Clock, Random } from '@zen/config';
import { spiffeIdFromParts } from '@zen/identity';
import { STORE } from '@zen/store';
import type { Store, TokenRecord } from '@zen/store';

import { CONFIG } from './config';
import type { ControlPlaneConfig } from './config';
import { SERVER_KEY } from './tokens';

/** Components that may be issued a join token (operators hold admin SVIDs instead). */
export const TOKEN_COMPONENTS = ['control-plane', 'zen-agent', 'ingester', 'egress'] as const;
export type TokenComponent = (typeof TOKEN_COMPONENTS)[number];

/** Shape of a token id on the wire: 8 random bytes in lowercase hex. */
export const TOKEN_ID_PATTERN = /^[0-9a-f]{16}$/;

const TOKEN_KEY_LABEL = 'zen-token-v1\n';

/** `K = HMAC-SHA256(serverKey, "zen-token-v1\n" + tokenId)`, the raw 32 secret bytes. */
export function deriveTokenKey(serverKey: Buffer, tokenId: string): Buffer {
  return createHmac('sha256', serverKey)
    .update(TOKEN_KEY_LABEL + tokenId, 'utf8')
    .digest();
}

export interface MintTokenParams {
  component: TokenComponent;
  name: string;
  ttlSeconds: number;
  createdBy: string | null;
}

export interface MintTokenResult {
  token: string;
  tokenId: string;
  spiffeId: string;
  expiresAt: number;
}

/**
 * Makes join tokens and the enrollment keys behind them. Secrets are derived from the server
 * key and never stored: the store keeps only what the token binds (SPIFFE ID, expiry, state).
 */
@injectable()
export class TokenService {
  constructor(
    @inject(SERVER_KEY) private readonly serverKey: Buffer,
    @inject(STORE) private readonly store: Store,
    @inject(CLOCK) private readonly clock: Clock,
    @inject(RANDOM) private readonly random: Random,
    @inject(CONFIG) private readonly config: ControlPlaneConfig,
  ) {}

  /** The enrollment key of any well-formed token id, known or not (constant work). */
  enrollmentKey(tokenId: string): Buffer {
    return deriveTokenKey(this.serverKey, tokenId);
  }

  /** Creates a token record and returns the token string, which is shown once. */
  async mint(params: MintTokenParams): Promise<MintTokenResult> {
    const spiffeId = spiffeIdFromParts(this.config.trustDomain, params.component, params.name).uri;
    const tokenId = this.random.bytes(8).toString('hex');
    const createdAt = nowSeconds(this.clock);
    const record: TokenRecord = {
      tokenId,
      component: params.component,
      name: params.name,
      spiffeId,
      createdAt,
      expiresAt: createdAt + params.ttlSeconds,
      state: 'unused',
      failedMacs: 0,
      locked: false,
      enrollmentId: null,
      createdBy: params.createdBy,
    };
    await this.store.putToken(record);
    const secret = this.enrollmentKey(tokenId).toString('hex');

    return { token: `zen1.${tokenId}.${secret}`, tokenId, spiffeId, expiresAt: record.expiresAt };
  }
}
