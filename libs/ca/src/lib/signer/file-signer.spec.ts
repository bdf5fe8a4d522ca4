import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';

import { FileSignerFactory } from './file-signer';
import { describeSignerContract } from './signer-contract';

const dirs: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'zen-ca-file-signer-'));
  dirs.push(dir);

  return dir;
}

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describeSignerContract('file (P-256)', async () => new FileSignerFactory(await tempDir()));
describeSignerContract(
  'file (P-384)',
  async () => new FileSignerFactory(await tempDir(), { algorithm: 'ES384' }),
);

describe('FileSignerFactory', () => {
  it('writes a PKCS#8 PEM key with mode 0600 in folders with mode 0700', async () => {
    const dir = await tempDir();
    const root = join(dir, 'keys');

    await new FileSignerFactory(root).create('ca/g1/root');

    const path = join(root, 'ca', 'g1', 'root.key.pem');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(root, 'ca', 'g1'))).mode & 0o777).toBe(0o700);
    expect((await stat(root)).mode & 0o777).toBe(0o700);
    expect(await readFile(path, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
  });

  it.each([
    ['group readable', 0o640],
    ['world readable', 0o604],
    ['group writable', 0o620],
  ])('refuses to load a key file that is %s', async (_label, mode) => {
    const dir = await tempDir();
    const signers = new FileSignerFactory(dir);
    await signers.create('root');
    await chmod(join(dir, 'root.key.pem'), mode);

    await expect(signers.load('root')).rejects.toMatchObject({ code: 'signer_key_insecure' });
  });

  it('shares keys between factories over the same folder', async () => {
    const dir = await tempDir();
    const created = await new FileSignerFactory(dir).create('shared');

    const loaded = await new FileSignerFactory(dir).load('shared');

    expect(loaded?.publicKeySpki().equals(created.publicKeySpki())).toBe(true);
  });

  it('loads the curve of an existing key whatever the factory default', async () => {
    const dir = await tempDir();
    await new FileSignerFactory(dir, { algorithm: 'ES384' }).create('k');

    const loaded = await new FileSignerFactory(dir).load('k');

    expect(loaded?.algorithm).toBe('ES384');
  });

  it('refuses a key file that holds a key of another type', async () => {
    const dir = await tempDir();
    const { privateKey } = generateKeyPairSync('ed25519');
    await writeFile(join(dir, 'ed.key.pem'), privateKey.export({ format: 'pem', type: 'pkcs8' }), {
      mode: 0o600,
    });

    await expect(new FileSignerFactory(dir).load('ed')).rejects.toMatchObject({
      code: 'signer_key_invalid',
    });
  });

  it('refuses a key file that is not a key without quoting its content', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'junk.key.pem'), 'not-a-key-SECRETBYTES', { mode: 0o600 });

    const error = await new FileSignerFactory(dir).load('junk').catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'signer_key_invalid' });
    expect(String((error as Error).message)).not.toContain('SECRETBYTES');
  });
});
