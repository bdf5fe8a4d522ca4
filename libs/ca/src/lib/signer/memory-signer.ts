import { generateKeyPairSync } from 'node:crypto';

import { SignerError } from '../errors';
import { ALGORITHM_CURVES, KeySigner } from './key-signer';
import { assertSignerName } from './signer-name';
import type { Signer, SignerFactory, SigningAlgorithm } from './signer';

/** Options of {@link MemorySignerFactory}. */
export interface MemorySignerOptions {
  /** Algorithm of new keys; ES256 (P-256) unless set. */
  algorithm?: SigningAlgorithm;
}

/**
 * Signer plugin `memory`: keys are made in process memory when created and are lost when the
 * process ends. Suits tests, development and a single replica that re-creates its CA on start.
 */
export class MemorySignerFactory implements SignerFactory {
  readonly #algorithm: SigningAlgorithm;
  readonly #signers = new Map<string, Signer>();

  constructor(options: MemorySignerOptions = {}) {
    this.#algorithm = options.algorithm ?? 'ES256';
  }

  async create(name: string): Promise<Signer> {
    assertSignerName(name);
    if (this.#signers.has(name)) {
      throw new SignerError('signer_key_exists', `signer key ${name} already exists`);
    }

    const { privateKey } = generateKeyPairSync('ec', {
      namedCurve: ALGORITHM_CURVES[this.#algorithm],
    });
    const signer = new KeySigner(privateKey, name);
    this.#signers.set(name, signer);

    return signer;
  }

  async load(name: string): Promise<Signer | null> {
    assertSignerName(name);

    return this.#signers.get(name) ?? null;
  }
}
