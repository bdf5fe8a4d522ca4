import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createCaOnDisk, loadCaFromDisk } from './disk-ca';
import { generateKeyAndCsr } from './key-and-csr';
import { writePem } from './x509/pem';

const dirs: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'zen-ca-disk-'));
  dirs.push(dir);

  return dir;
}

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('createCaOnDisk / loadCaFromDisk', () => {
  it('writes certificates, a bundle and 0600 keys in a 0700 folder', async () => {
    const dir = join(await tempDir(), 'ca');

    await createCaOnDisk(dir, 'zen.mesh', 3600 * 24);

    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    for (const key of ['root.key.pem', 'intermediate.key.pem']) {
      expect((await stat(join(dir, key))).mode & 0o777).toBe(0o600);
    }
    const root = await readFile(join(dir, 'root.pem'), 'utf8');
    expect(await readFile(join(dir, 'bundle.pem'), 'utf8')).toBe(root);
    expect(await readFile(join(dir, 'intermediate.pem'), 'utf8')).toMatch(
      /^-----BEGIN CERTIFICATE/,
    );
  });

  it('loads the CA back and issues SVIDs that openssl verifies against the bundle', async () => {
    const dir = await tempDir();
    await createCaOnDisk(dir, 'zen.mesh');

    const ca = await loadCaFromDisk(dir);
    const svid = await ca.issuer.issueSvid({
      publicKeySpki: generateKeyAndCsr().publicKeySpki,
      spiffeId: 'spiffe://zen.mesh/admin/alice',
      ttlSeconds: 3600,
      nowSeconds: Math.floor(Date.now() / 1000),
    });
    await writeFile(join(dir, 'leaf.pem'), writePem('CERTIFICATE', svid.leafDer));

    expect(ca.trustDomain).toBe('zen.mesh');
    expect(ca.bundle.roots).toHaveLength(1);
    const output = execFileSync(
      '/usr/bin/openssl',
      [
        'verify',
        '-x509_strict',
        '-CAfile',
        join(dir, 'bundle.pem'),
        '-untrusted',
        join(dir, 'intermediate.pem'),
        join(dir, 'leaf.pem'),
      ],
      { encoding: 'utf8' },
    );
    expect(output.trim()).toBe(`${join(dir, 'leaf.pem')}: OK`);
  });

  it('refuses to create a CA over an existing one', async () => {
    const dir = await tempDir();
    await createCaOnDisk(dir, 'zen.mesh');

    await expect(createCaOnDisk(dir, 'zen.mesh')).rejects.toMatchObject({ code: 'ca_disk_exists' });
  });

  it('refuses to load an intermediate key readable by others', async () => {
    const dir = await tempDir();
    await createCaOnDisk(dir, 'zen.mesh');
    await chmod(join(dir, 'intermediate.key.pem'), 0o644);

    await expect(loadCaFromDisk(dir)).rejects.toMatchObject({ code: 'signer_key_insecure' });
  });

  it('refuses a folder without a CA', async () => {
    await expect(loadCaFromDisk(await tempDir())).rejects.toMatchObject({
      code: 'ca_disk_invalid',
    });
  });

  it('refuses an intermediate that the root did not sign', async () => {
    const dir = await tempDir();
    const other = await tempDir();
    await createCaOnDisk(dir, 'zen.mesh');
    await createCaOnDisk(other, 'zen.mesh');
    await writeFile(join(dir, 'root.pem'), await readFile(join(other, 'root.pem')));

    await expect(loadCaFromDisk(dir)).rejects.toMatchObject({ code: 'ca_disk_invalid' });
  });

  it('refuses a folder whose intermediate key is gone', async () => {
    const dir = await tempDir();
    await createCaOnDisk(dir, 'zen.mesh');
    await rm(join(dir, 'intermediate.key.pem'));

    await expect(loadCaFromDisk(dir)).rejects.toMatchObject({ code: 'ca_signer_missing' });
  });

  it('refuses a malformed trust domain', async () => {
    await expect(createCaOnDisk(await tempDir(), 'Not A Domain')).rejects.toMatchObject({
      code: expect.stringMatching(/^spiffe_id_/),
    });
  });
});
