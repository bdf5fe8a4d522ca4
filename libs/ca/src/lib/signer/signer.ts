import type { InjectionToken } from 'tsyringe';

/** JOSE names of the ECDSA algorithms a signer may use: P-256/SHA-256 and P-384/SHA-384. */
export type SigningAlgorithm = 'ES256' | 'ES384';

/**
 * A private key the caller may use but never read. The CA signs certificates only through this
 * port, so a key held in an HSM (PKCS#11) can replace the built-in plugins.
 */
export interface Signer {
  /** Algorithm of every signature this signer makes. */
  readonly algorithm: SigningAlgorithm;
  /** DER SubjectPublicKeyInfo of the public half. */
  publicKeySpki(): Buffer;
  /** Hashes `data` with the algorithm's hash and signs it; DER ECDSA-Sig-Value, as X.509 needs. */
  sign(data: Buffer): Promise<Buffer>;
}

/**
 * Makes and finds named signer keys (names such as `ca/<generation>/root`: segments of letters,
 * digits, `.`, `_`, `-` separated by `/`). `create` refuses a name that already exists
 * (`signer_key_exists`); `load` returns null for an unknown name.
 */
export interface SignerFactory {
  create(name: string): Promise<Signer>;
  load(name: string): Promise<Signer | null>;
}

/** Injection token of the configured {@link SignerFactory} plugin. */
export const SIGNER_FACTORY: InjectionToken<SignerFactory> = Symbol('zen.ca.SignerFactory');
