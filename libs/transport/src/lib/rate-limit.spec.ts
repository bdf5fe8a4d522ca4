import type { Express } from 'express';

import { createCapturingLogger } from '@zen/logging/testing';

import { createApp, finishApp } from './create-app';
import { rateLimit } from './rate-limit';
import type { RateLimitHit } from './rate-limit';
import { sendRaw, startPlainServer } from './testing/send-raw';

describe('rateLimit', () => {
  it('lets requests through under the limit and answers 429 with Retry-After over it', async () => {
    const counts = new Map<string, number>();
    const hit: jest.MockedFunction<RateLimitHit> = jest.fn(async (bucket, key, limit) => {
      const count = (counts.get(`${bucket}:${key}`) ?? 0) + 1;
      counts.set(`${bucket}:${key}`, count);
      return { allowed: count <= limit.points, retryAfterSeconds: 41.2 };
    });
    const { logger } = createCapturingLogger();
    const app: Express = createApp({ logger });
    app.get(
      '/limited',
      rateLimit({ bucket: 'spec', points: 2, durationSeconds: 60, key: () => 'k', hit }),
      (_req, res) => {
        res.json({ ok: true });
      },
    );
    finishApp(app, logger);
    const server = await startPlainServer(app);

    try {
      const statuses: number[] = [];
      let last;
      for (let i = 0; i < 3; i++) {
        last = await sendRaw(server.baseUrl, { path: '/limited' });
        statuses.push(last.status);
      }

      expect(statuses).toEqual([200, 200, 429]);
      expect(last?.json).toEqual({ error: { code: 'rate_limited', message: 'too many requests' } });
      expect(last?.headers['retry-after']).toBe('42');
      expect(hit).toHaveBeenCalledWith('spec', 'k', { points: 2, durationSeconds: 60 });
    } finally {
      await server.close();
    }
  });
});
