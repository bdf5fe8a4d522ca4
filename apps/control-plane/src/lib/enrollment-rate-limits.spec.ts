import { TestControlPlane } from '../testing/harness';

describe('enrollment rate limits', () => {
  let cp: TestControlPlane;

  beforeAll(async () => {
    cp = await TestControlPlane.start({
      rateLimitPerAddress: 5,
      rateLimitPerToken: 3,
      rateLimitWindow: '1m',
    });
  });

  afterAll(async () => {
    await cp.close();
  });

  it('answers 429 with Retry-After past the per-token limit, for that token only', async () => {
    const client = cp.publicClient();
    const ask = () =>
      client.request<{ error?: { code: string } }>('POST', '/v1/enroll/challenge', {
        token_id: 'aaaaaaaaaaaaaaaa',
      });

    const statuses = [(await ask()).status, (await ask()).status, (await ask()).status];
    const limited = await ask();
    const other = await client.request('POST', '/v1/enroll/challenge', {
      token_id: 'bbbbbbbbbbbbbbbb',
    });

    expect(statuses).toEqual([200, 200, 200]);
    expect(limited.status).toBe(429);
    expect(limited.body.error?.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(other.status).toBe(200);
  });

  it('limits each source address per endpoint', async () => {
    const client = cp.publicClient();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await client.request(
        'GET',
        `/v1/enroll/bundle?token_id=${i.toString(16).padStart(16, 'c')}`,
      );
      statuses.push(res.status);
    }

    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });
});
