import { createPublicKey, sign, type KeyObject } from 'node:crypto';

import { SignerError } from '../errors';
import type { Signer, SigningAlgorithm } from './signer';

const CURVE_ALGORITHMS: Record<string, SigningAlgorithm> = {
  prime256v1: 'ES256',
  secp384r1: 'ES384',
};

const HASHES: Record<SigningAlgorithm, string> = { ES256: 'sha256', ES384: 'sha384' };

/** Curve name node:crypto uses for each algorithm. */
export const ALGORITHM_CURVES: Record<SigningAlgorithm, string> = {
  ES256: 'prime256v1',
  ES384: 'secp384r1',
};

/**
 * A signer over a node:crypto private key object. Both built-in plugins use it; the key object
 * stays in a private field and is never exported again.
 */
export class KeySigner implements Signer {
  readonly algorithm: SigningAlgorithm;
  readonly #key: KeyObject;
  readonly #spki: Buffer;

  constructor(key: KeyObject, name: string) {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    const algorithm = key.asymmetricKeyType === 'ec' && curve ? CURVE_ALGORITHMS[curve] : undefined;
    if (key.type !== 'private' || !algorithm) {
      throw new SignerError(
        'signer_key_invalid',
        `signer key ${name} is not an EC P-256 or P-384 private key`,
      );
    }

    this.algorithm = algorithm;
    this.#key = key;
    this.#spki = createPublicKey(key).export({ format: 'der', type: 'spki' });
  }

  publicKeySpki(): Buffer {
    return Buffer.from(this.#spki);
  }

  async sign(data: Buffer): Promise<Buffer> {
    // node:crypto signs synchronously and fast; the port is async so that remote signers fit.
    return sign(HASHES[this.algorithm], data, { key: this.#key, dsaEncoding: 'der' });
  }
}
