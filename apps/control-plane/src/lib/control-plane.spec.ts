import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';

import { TestControlPlane } from '../testing/harness';

import { statePaths } from './state-dir';

describe('ControlPlane start and restart', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'zen-cp-restart-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes server key, audit key and admin credential at first start, owner-only', async () => {
    const cp = await TestControlPlane.start({ stateDir: dir, signer: 'file' });
    await cp.close({ keepState: true });
    const paths = statePaths(dir);

    for (const secret of [paths.serverKey, paths.auditKey, paths.adminKey]) {
      expect({ secret, mode: statSync(secret).mode & 0o777 }).toEqual({ secret, mode: 0o600 });
    }
    expect(readFileSync(paths.adminSvid, 'utf8')).toContain('BEGIN CERTIFICATE');
    expect(readFileSync(paths.auditPublicKey, 'utf8')).toContain('BEGIN PUBLIC KEY');
  });

  it('keeps CA, server key and admin credential across restarts (file signer)', async () => {
    const first = await TestControlPlane.start({ stateDir: dir, signer: 'file' });
    const bundle = first.bundlePem();
    const admin = readFileSync(statePaths(dir).adminSvid, 'utf8');
    await first.close({ keepState: true });

    const second = await TestControlPlane.start({ stateDir: dir, signer: 'file' });
    const res = await second.adminClient().request('GET', '/v1/admin/ca');
    await second.close({ keepState: true });

    expect(second.bundlePem()).toBe(bundle);
    expect(readFileSync(statePaths(dir).adminSvid, 'utf8')).toBe(admin);
    expect(res.status).toBe(200);
  });

  it('serves an SVID with the control-plane SPIFFE ID and the configured SANs', async () => {
    const cp = await TestControlPlane.start({
      san: ['cp.example.internal', '10.1.2.3'],
      name: 'cp-7',
    });
    const port = Number(new URL(cp.url).port);
    const pem = await new Promise<string>((resolve, reject) => {
      const socket = connect(
        { host: '127.0.0.1', port, ca: cp.bundlePem(), servername: 'localhost' },
        () => {
          const raw = socket.getPeerCertificate().raw;
          socket.end();
          resolve(new X509Certificate(raw).toString());
        },
      );
      socket.on('error', reject);
    });
    await cp.close();

    const names = new X509Certificate(pem).subjectAltName ?? '';
    expect(names).toContain('URI:spiffe://zen.mesh/control-plane/cp-7');
    expect(names).toContain('DNS:localhost');
    expect(names).toContain('DNS:cp.example.internal');
    expect(names).toContain('IP Address:127.0.0.1');
    expect(names).toContain('IP Address:10.1.2.3');
  });
});
