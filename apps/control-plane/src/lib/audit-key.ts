import { createPrivateKey, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';

import type { Signer, SigningAlgorithm } from '@zen/ca';

import { StateDirError } from './errors';
import { readSecretFile, statePaths, writeFileAtomic } from './state-dir';

/** A P-256 signer over a private key held in memory (the audit checkpoint key). */
export class KeyObjectSigner implements Signer {
  readonly algorithm: SigningAlgorithm = 'ES256';

  constructor(private readonly privateKey: KeyObject) {}

  publicKeySpki(): Buffer {
    return createPublicKey(this.privateKey).export({ type: 'spki', format: 'der' });
  }

  async sign(data: Buffer): Promise<Buffer> {
    return sign('sha256', data, { key: this.privateKey, dsaEncoding: 'der' });
  }
}

/**
 * Loads the audit key from `<state>/audit/key.pem` (PKCS#8, 0600), creating it with its public
 * half `key.pub.pem` on first start.
 */
export function loadOrCreateAuditKey(stateDir: string): { signer: Signer; publicKeyPem: string } {
  const paths = statePaths(stateDir);
  if (!existsSync(paths.auditKey)) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileAtomic(paths.auditKey, privateKey.export({ type: 'pkcs8', format: 'pem' }), 0o600);
    const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    writeFileAtomic(paths.auditPublicKey, publicKeyPem, 0o644);
    return { signer: new KeyObjectSigner(privateKey), publicKeyPem };
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(readSecretFile(paths.auditKey));
  } catch (err) {
    if (err instanceof StateDirError) throw err;
    throw new StateDirError(`audit key ${paths.auditKey} is not a private key`, { cause: err });
  }
  const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' });
  writeFileAtomic(paths.auditPublicKey, publicKeyPem.toString(), 0o644);

  return { signer: new KeyObjectSigner(privateKey), publicKeyPem: publicKeyPem.toString() };
}
