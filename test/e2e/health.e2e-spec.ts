import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrivateRedis } from '../support/private-redis.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('health', () => {
  let redis: PrivateRedis;
  let t: TestApp;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    t = await startTestApp({ env: { REDIS_URL: redis.url } });
  });
  afterAll(async () => {
    await redis.startServer().catch(() => undefined);
    await t?.close().catch(() => undefined);
    await redis.stop();
  });

  it('is public and 200 while PostgreSQL and Redis answer', async () => {
    const response = await t.http().get('/api/health').expect(200);
    expect(response.body.status).toBe('ok');
    expect(response.body.details.database.status).toBe('up');
    expect(response.body.details.redis.status).toBe('up');
    await t.http().get('/api/health/live').expect(200, { status: 'ok' });
  });

  it('answers 503 naming Redis when its Redis is stopped, and recovers', async () => {
    await redis.stop();
    const down = await t.http().get('/api/health');
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'redis is down',
      status: 'degraded',
    });
    expect(down.body.details.database.status).toBe('up');
    expect(down.body.details.redis.status).toBe('down');
    // The API itself keeps answering.
    await t.http().get('/api/health/live').expect(200);

    await redis.startServer();
    await expect
      .poll(async () => (await t.http().get('/api/health')).status, { timeout: 15_000 })
      .toBe(200);
  });
});
