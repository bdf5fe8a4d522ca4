import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { mkdir, open } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';

import { SignerError } from '../errors';
import { ALGORITHM_CURVES, KeySigner } from './key-signer';
import { assertSignerName } from './signer-name';
import type { Signer, SignerFactory, SigningAlgorithm } from './signer';

/** Options of {@link FileSignerFactory}. */
export interface FileSignerOptions {
  /** Algorithm of new keys; ES256 (P-256) unless set. Loaded keys keep their own curve. */
  algorithm?: SigningAlgorithm;
}

const KEY_FILE_SUFFIX = '.key.pem';
const GROUP_OTHER_BITS = 0o077;

/**
 * Signer plugin `file`: each named key is an unencrypted PKCS#8 PEM file under `dir`
 * (`ca/g1/root` → `<dir>/ca/g1/root.key.pem`), written with mode 0600 in folders made with
 * mode 0700. Several replicas that mount the same folder share the keys.
 */
export class FileSignerFactory implements SignerFactory {
  readonly #dir: string;
  readonly #algorithm: SigningAlgorithm;

  constructor(dir: string, options: FileSignerOptions = {}) {
    if (!dir) {
      throw new TypeError('FileSignerFactory needs a key folder');
    }
    this.#dir = resolve(dir);
    this.#algorithm = options.algorithm ?? 'ES256';
  }

  async create(name: string): Promise<Signer> {
    const path = this.#pathOf(name);
    const { privateKey } = generateKeyPairSync('ec', {
      namedCurve: ALGORITHM_CURVES[this.#algorithm],
    });
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' });

    await mkdir(join(path, '..'), { recursive: true, mode: 0o700 });
    const handle = await open(path, 'wx', 0o600).catch((error: unknown) => {
      if (isErrno(error, 'EEXIST')) {
        throw new SignerError('signer_key_exists', `signer key ${name} already exists`);
      }
      throw error;
    });
    try {
      // The umask can only remove bits, but a shared folder may carry default ACLs: be explicit.
      await handle.chmod(0o600);
      await handle.writeFile(pem, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }

    return new KeySigner(privateKey, name);
  }

  async load(name: string): Promise<Signer | null> {
    const path = this.#pathOf(name);
    const handle = await open(path, 'r').catch((error: unknown) => {
      if (isErrno(error, 'ENOENT')) return null;
      throw error;
    });
    if (!handle) return null;

    try {
      // Check the opened file itself, so a swap between check and read cannot slip through.
      const stats = await handle.stat();
      if (!stats.isFile()) {
        throw new SignerError('signer_key_invalid', `signer key ${name} is not a regular file`);
      }
      if ((stats.mode & GROUP_OTHER_BITS) !== 0) {
        throw new SignerError(
          'signer_key_insecure',
          `signer key ${name} is accessible by group or others (mode ${formatMode(stats.mode)}); ` +
            'restrict it to 0600',
        );
      }
      const pem = await handle.readFile('utf8');

      return new KeySigner(parsePrivateKey(pem, name), name);
    } finally {
      await handle.close();
    }
  }

  #pathOf(name: string): string {
    assertSignerName(name);
    const path = resolve(this.#dir, ...name.split('/')) + KEY_FILE_SUFFIX;
    // Defence in depth: the name check already forbids `..`, the path must still stay inside.
    const inside = relative(this.#dir, path);
    if (inside.startsWith('..') || inside.startsWith(sep) || inside === '') {
      throw new SignerError('signer_name_invalid', 'signer key name is not a safe relative name');
    }

    return path;
  }
}

function parsePrivateKey(pem: string, name: string) {
  try {
    return createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    // The parse failure is not passed on as a cause: it could quote key material.
    throw new SignerError('signer_key_invalid', `signer key ${name} is not a readable PKCS#8 key`);
  }
}

function formatMode(mode: number): string {
  return (mode & 0o777).toString(8).padStart(4, '0');
}

function isErrno(error: unknown, code: string): boolean {
  // Not `instanceof Error`: errors of node built-ins may come from another realm (jest).
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
