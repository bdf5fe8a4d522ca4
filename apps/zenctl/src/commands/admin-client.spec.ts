import { CliError } from '../lib/errors';
import { captureIo } from '../testing/capture-io';
import {
  AdminClient,
  AdminTransport,
  connectAdmin,
  resolveAdminDir,
  resolveStateDir,
} from './admin-client';

function clientAnswering(answer: AdminTransport['request']): AdminClient {
  return new AdminClient({ request: answer }, 'https://localhost:8443');
}

async function failureOf(promise: Promise<unknown>): Promise<CliError> {
  try {
    await promise;
  } catch (err) {
    return err as CliError;
  }
  throw new Error('expected a failure');
}

describe('AdminClient', () => {
  it('returns the JSON body of a 2xx answer', async () => {
    const client = clientAnswering(async () => ({ status: 201, headers: {}, body: { ok: 1 } }));

    expect(await client.post('/v1/admin/tokens', {})).toEqual({ ok: 1 });
  });

  it('maps a wire error body to its code and message with exit 1', async () => {
    const client = clientAnswering(async () => ({
      status: 403,
      headers: {},
      body: { error: { code: 'forbidden', message: 'admin identity required' } },
    }));

    const err = await failureOf(client.get('/v1/admin/enrollments'));

    expect(err).toBeInstanceOf(CliError);
    expect([err.code, err.reason, err.exitCode]).toEqual([
      'forbidden',
      'admin identity required',
      1,
    ]);
  });

  it('maps a thrown wire error to its code with exit 1', async () => {
    const wire = Object.assign(new Error('no such token'), { code: 'not_found', status: 404 });
    const client = clientAnswering(async () => Promise.reject(wire));

    const err = await failureOf(client.get('/v1/x'));

    expect([err.code, err.exitCode]).toEqual(['not_found', 1]);
  });

  it('maps a connection failure to cli_server_unreachable with exit 2', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const client = clientAnswering(async () =>
      Promise.reject(new Error('fetch failed', { cause: refused })),
    );

    const err = await failureOf(client.get('/v1/x'));

    expect([err.code, err.exitCode]).toEqual(['cli_server_unreachable', 2]);
    expect(err.reason).toBe('cannot reach https://localhost:8443: ECONNREFUSED');
  });

  it('maps a transport timeout to cli_server_timeout with exit 2', async () => {
    const timeout = Object.assign(new Error('no response in time'), { code: 'transport_timeout' });
    const client = clientAnswering(async () => Promise.reject(timeout));

    const err = await failureOf(client.get('/v1/x'));

    expect([err.code, err.exitCode]).toEqual(['cli_server_timeout', 2]);
    expect(err.reason).toBe('no answer from https://localhost:8443 within 30 s');
  });

  it('names a non-2xx answer without an error body as an invalid response', async () => {
    const client = clientAnswering(async () => ({ status: 502, headers: {}, body: 'bad gateway' }));

    const err = await failureOf(client.get('/v1/x'));

    expect([err.code, err.exitCode]).toEqual(['cli_server_response_invalid', 1]);
  });
});

describe('admin folder resolution', () => {
  it('prefers --state-dir, then ZEN_ADMIN_DIR, then .zen/control-plane under cwd', () => {
    const io = captureIo({ cwd: '/work', env: { ZEN_ADMIN_DIR: '/etc/zen/admin' } });

    expect(resolveAdminDir(io, { stateDir: 'state' })).toBe('/work/state/admin');
    expect(resolveAdminDir(io, {})).toBe('/etc/zen/admin');
    expect(resolveAdminDir(captureIo({ cwd: '/work' }), {})).toBe('/work/.zen/control-plane/admin');
  });

  it('derives the state folder as the parent of ZEN_ADMIN_DIR', () => {
    const io = captureIo({ cwd: '/work', env: { ZEN_ADMIN_DIR: '/etc/zen/admin' } });

    expect(resolveStateDir(io, {})).toBe('/etc/zen');
  });

  it('exits 2 with cli_admin_credential_missing when the admin folder is absent', async () => {
    const io = captureIo({ cwd: '/nonexistent-zenctl-cwd' });

    const err = await failureOf(connectAdmin(io, {}));

    expect([err.code, err.exitCode]).toEqual(['cli_admin_credential_missing', 2]);
    expect(err.reason).toContain('/nonexistent-zenctl-cwd/.zen/control-plane/admin/svid.pem');
  });

  it('refuses a non-https --server with exit 2', async () => {
    const err = await failureOf(connectAdmin(captureIo(), { server: 'http://localhost:8443' }));

    expect([err.code, err.exitCode]).toEqual(['cli_usage', 2]);
  });
});
