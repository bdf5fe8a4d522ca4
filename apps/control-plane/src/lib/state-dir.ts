import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';

import { StateDirError } from './errors';

/** Paths of the files the control plane keeps in its state folder. */
export function statePaths(stateDir: string) {
  return {
    serverKey: join(stateDir, 'server.key'),
    caDir: join(stateDir, 'ca'),
    caState: join(stateDir, 'ca', 'state.json'),
    auditKey: join(stateDir, 'audit', 'key.pem'),
    auditPublicKey: join(stateDir, 'audit', 'key.pub.pem'),
    adminDir: join(stateDir, 'admin'),
    adminSvid: join(stateDir, 'admin', 'svid.pem'),
    adminKey: join(stateDir, 'admin', 'key.pem'),
    adminBundle: join(stateDir, 'admin', 'bundle.pem'),
    tlsDir: join(stateDir, 'tls'),
    tlsSvid: join(stateDir, 'tls', 'svid.pem'),
    tlsKey: join(stateDir, 'tls', 'key.pem'),
    bundle: join(stateDir, 'bundle.pem'),
  };
}

/** Creates a folder (and its parents) readable by the owner only. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/** Writes a file through a temporary name and a rename, so readers never see half a file. */
export function writeFileAtomic(path: string, data: string | Buffer, mode: number): void {
  ensurePrivateDir(dirname(path));
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temporary, data, { mode });
  chmodSync(temporary, mode);
  renameSync(temporary, path);
}

/** Reads a secret file, refusing one that group or others may read. */
export function readSecretFile(path: string): Buffer {
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new StateDirError(`secret file ${path} is readable by group or others`);
  }

  return readFileSync(path);
}

/**
 * Loads `<state>/server.key` (64 hex characters, mode 0600), creating it on first start. Every
 * replica mounts the same file: join-token secrets and key wrapping derive from it.
 */
export function loadOrCreateServerKey(stateDir: string): { key: Buffer; created: boolean } {
  const path = statePaths(stateDir).serverKey;
  if (!existsSync(path)) {
    const key = randomBytes(32);
    writeFileAtomic(path, `${key.toString('hex')}\n`, 0o600);
    return { key, created: true };
  }
  const text = readSecretFile(path).toString('utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(text)) {
    throw new StateDirError(`server key ${path} is not 64 lowercase hex characters`);
  }

  return { key: Buffer.from(text, 'hex'), created: false };
}
