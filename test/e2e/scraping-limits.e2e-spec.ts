import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrivateRedis } from '../support/private-redis.js';
import {
  startTestSimulator,
  targetEnv,
  truthOf,
  type RunningSimulator,
} from '../support/simulator.js';
import { waitForTask } from '../support/tasks.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('single-OS limits and bad input', () => {
  let sim: RunningSimulator;
  let t: TestApp;

  beforeAll(async () => {
    sim = await startTestSimulator({ layout: 'a' });
    t = await startTestApp({
      env: {
        ...targetEnv(sim),
        RATE_LIMIT_OS_PER_HOUR: '2',
        SCRAPE_BACKLOG_CAP: '3',
        TARGET_MAX_RPS: '0',
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  it('rejects bad bodies and OS numbers with 400 naming the field, writing nothing', async () => {
    const { token } = await t.createUser();
    const auth = { Authorization: `Bearer ${token}` };
    const cases: Array<[unknown, string]> = [
      [{}, 'os_number must be a string'],
      [{ os_number: 12345 }, 'os_number must be a string'],
      [{ os_number: 'abc' }, 'os_number must match the OS number pattern ^[0-9]{1,7}$'],
      [{ os_number: '../../admin' }, 'os_number must match the OS number pattern ^[0-9]{1,7}$'],
      [{ os_number: '123', url: 'http://evil.example' }, 'property url should not exist'],
    ];
    for (const [body, message] of cases) {
      const response = await t
        .http()
        .post('/api/desenvolvimento/scraping')
        .set(auth)
        .send(body as object);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.message).toBe(message);
    }
    await t.http().get('/api/desenvolvimento/scraping-status/not-a-uuid').set(auth).expect(400);
    const [{ n }] = await t.db.query<{ n: string }>('SELECT count(*) AS n FROM scrape_requests');
    expect(Number(n)).toBe(0);
  });

  it('lets work over the hourly rate wait as "throttled", and refuses past the backlog cap with 429 and Retry-After', async () => {
    const user = await t.createUser();
    const auth = { Authorization: `Bearer ${user.token}` };
    const ids: string[] = [];
    for (const osNumber of ['1000', '1101', '1202']) {
      const response = await t
        .http()
        .post('/api/desenvolvimento/scraping')
        .set(auth)
        .send({ os_number: osNumber })
        .expect(202);
      ids.push(response.body.task_id);
    }
    await waitForTask(t, user.token, `/api/desenvolvimento/scraping-status/${ids[0]}`);
    await waitForTask(t, user.token, `/api/desenvolvimento/scraping-status/${ids[1]}`);
    await expect
      .poll(
        async () =>
          (await t.http().get(`/api/desenvolvimento/scraping-status/${ids[2]}`).set(auth)).body
            .state,
        {
          timeout: 30_000,
        },
      )
      .toBe('throttled');
    const third = await t
      .http()
      .get(`/api/desenvolvimento/scraping-status/${ids[2]}`)
      .set(auth)
      .expect(200);
    expect(third.body).toMatchObject({
      status: 'processing',
      state: 'throttled',
      progress: 0,
      result: null,
    });
    expect(third.body.message).toMatch(/Aguardando limite de uso/);
    // The backlog (waiting work) may grow to the cap; past it the API says when to come back.
    for (const osNumber of ['1303', '1505']) {
      await t
        .http()
        .post('/api/desenvolvimento/scraping')
        .set(auth)
        .send({ os_number: osNumber })
        .expect(202);
    }
    const refused = await t
      .http()
      .post('/api/desenvolvimento/scraping')
      .set(auth)
      .send({ os_number: '1606' });
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('1800');
    expect(refused.body).toMatchObject({
      statusCode: 429,
      error: 'Too Many Requests',
      message: 'you already have 3 OS waiting (limit 3); try again in 1800 s',
      retry_after: 1800,
    });
    // Another user is not held back by this one's rate.
    const other = await t.createUser();
    const theirs = await t
      .http()
      .post('/api/desenvolvimento/scraping')
      .set('Authorization', `Bearer ${other.token}`)
      .send({ os_number: '1404' })
      .expect(202);
    const done = await waitForTask(
      t,
      other.token,
      `/api/desenvolvimento/scraping-status/${theirs.body.task_id}`,
    );
    expect(done.status).toBe('completed');
    // And a user never sees another's task.
    await t
      .http()
      .get(`/api/desenvolvimento/scraping-status/${ids[0]}`)
      .set('Authorization', `Bearer ${other.token}`)
      .expect(404);
    await t
      .http()
      .get(`/api/desenvolvimento/scraping-status/${ids[0]}`)
      .set('Authorization', `Bearer ${await t.adminToken()}`)
      .expect(200);
  });
});

describe.each([false, true])('without Redis (inline fallback %s)', (inline) => {
  let sim: RunningSimulator;
  let redis: PrivateRedis;
  let t: TestApp;

  beforeAll(async () => {
    sim = await startTestSimulator({ layout: 'a' });
    redis = await PrivateRedis.start();
    t = await startTestApp({
      env: {
        ...targetEnv(sim),
        REDIS_URL: redis.url,
        SCRAPER_INLINE_FALLBACK: String(inline),
        TARGET_MAX_RPS: '0',
      },
    });
  });
  afterAll(async () => {
    await redis.startServer().catch(() => undefined);
    await t?.close().catch(() => undefined);
    await redis?.stop();
    await sim?.close();
  });

  it(
    inline ? 'scrapes inline in the API and says so' : 'answers 503 and accepts nothing',
    async () => {
      const { token } = await t.createUser();
      await redis.stop();
      const response = await t
        .http()
        .post('/api/desenvolvimento/scraping')
        .set('Authorization', `Bearer ${token}`)
        .send({ os_number: '1000' });
      const rows = await t.db.query<{ state: string; inline: boolean; outcome: string }>(
        'SELECT state, inline, outcome FROM scrape_requests',
      );
      if (!inline) {
        expect(response.status).toBe(503);
        expect(response.body.message).toBe(
          'the scraping queue (Redis) is unavailable: nothing was accepted, try again later',
        );
        expect(response.headers['retry-after']).toBe('30');
        expect(rows).toEqual([]);
      } else {
        expect(response.status).toBe(200);
        expect(response.body).toMatchObject({
          inline: true,
          status: 'completed',
          state: 'completed',
          os_number: '1000',
        });
        expect(response.body.result.items[0]).toMatchObject({
          os_number: '1000',
          outcome: 'success',
          path: 'http',
        });
        expect(rows).toEqual([{ state: 'completed', inline: true, outcome: 'success' }]);
        const stored = await t.db.query<{ data: unknown }>(
          "SELECT data FROM scraped_orders WHERE os_number = '1000'",
        );
        expect(stored[0]!.data).toEqual(await truthOf(sim, '1000'));
      }
      const health = await t.http().get('/api/health');
      expect(health.status).toBe(503);
      expect(health.body.status).toBe('degraded');
    },
  );
});
