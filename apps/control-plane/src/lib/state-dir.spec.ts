import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { loadOrCreateServerKey, statePaths } from './state-dir';

describe('loadOrCreateServerKey', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'zen-state-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates a 32-byte key readable by the owner only, then loads the same key', () => {
    const first = loadOrCreateServerKey(dir);

    const second = loadOrCreateServerKey(dir);

    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.key.equals(first.key)).toBe(true);
    expect(first.key).toHaveLength(32);
    expect(statSync(statePaths(dir).serverKey).mode & 0o777).toBe(0o600);
  });

  it('refuses a key file that others may read', () => {
    loadOrCreateServerKey(dir);
    chmodSync(statePaths(dir).serverKey, 0o644);

    expect(() => loadOrCreateServerKey(dir)).toThrow(
      expect.objectContaining({ code: 'state_dir_invalid' }),
    );
  });

  it('refuses a key file that is not 64 hex characters', () => {
    writeFileSync(statePaths(dir).serverKey, 'short\n', { mode: 0o600 });

    expect(() => loadOrCreateServerKey(dir)).toThrow(
      expect.objectContaining({ code: 'state_dir_invalid' }),
    );
  });
});
