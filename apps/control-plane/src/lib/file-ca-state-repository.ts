import { existsSync, readFileSync } from 'node:fs';

import type { CaStateRepository } from '@zen/ca';

import { StateDirError } from './errors';
import { writeFileAtomic } from './state-dir';

/**
 * Keeps the CA state in `<state>/ca/state.json` when the store is the in-memory one, so a
 * restart finds the same CA generations its file signer keys belong to.
 */
export class FileCaStateRepository implements CaStateRepository {
  constructor(private readonly path: string) {}

  async load(): Promise<{ version: number; value: string } | null> {
    if (!existsSync(this.path)) return null;
    const parsed = JSON.parse(readFileSync(this.path, 'utf8')) as unknown;
    if (!isState(parsed)) throw new StateDirError(`ca state ${this.path} is malformed`);

    return parsed;
  }

  // Limitation: the compare-and-set is only atomic within one process; replicas sharing a
  // state folder must use the redis store, which keeps the CA state itself.
  async save(expectedVersion: number, value: string): Promise<boolean> {
    const current = await this.load();
    if ((current?.version ?? 0) !== expectedVersion) return false;
    writeFileAtomic(this.path, JSON.stringify({ version: expectedVersion + 1, value }), 0o600);

    return true;
  }
}

function isState(value: unknown): value is { version: number; value: string } {
  const record = value as { version?: unknown; value?: unknown } | null;
  return typeof record?.version === 'number' && typeof record.value === 'string';
}
