import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  mapConcurrently,
  startTestSimulator,
  targetEnv,
  truthOf,
  type RunningSimulator,
} from '../support/simulator.js';
import { waitForTask } from '../support/tasks.js';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app.js';

const COUNT = 200;

describe.each(['a', 'b'] as const)('single-OS scraping on layout %s', (layout) => {
  let sim: RunningSimulator;
  let t: TestApp;
  let user: TestUser;
  const numbers = Array.from({ length: COUNT }, (_, i) =>
    String(20_000 + i * 37 + (layout === 'b' ? 5 : 0)),
  );

  beforeAll(async () => {
    sim = await startTestSimulator({ layout, encoding: layout === 'b' ? 'windows-1252' : 'utf-8' });
    t = await startTestApp({
      env: {
        ...targetEnv(sim, layout),
        RATE_LIMIT_OS_PER_HOUR: '100000',
        SCRAPE_BACKLOG_CAP: '1000',
        TARGET_MAX_RPS: '0',
        TARGET_MAX_CONCURRENCY: '8',
        QUEUE_SCRAPING_CONCURRENCY: '8',
      },
    });
    user = await t.createUser();
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  it(`stores ${COUNT} OS equal to the truth, field by field, types included`, async () => {
    const auth = { Authorization: `Bearer ${user.token}` };
    const taskIds = await mapConcurrently(numbers, 10, async (osNumber) => {
      const response = await t
        .http()
        .post('/api/desenvolvimento/scraping')
        .set(auth)
        .send({ os_number: osNumber });
      expect(response.status).toBe(202);
      expect(response.body).toMatchObject({
        status: 'processing',
        state: 'queued',
        os_number: osNumber,
      });
      return response.body.task_id as string;
    });
    const statuses = await mapConcurrently(taskIds, 5, (id) =>
      waitForTask(t, user.token, `/api/desenvolvimento/scraping-status/${id}`),
    );

    const mismatches: string[] = [];
    let notFound = 0;
    for (const [index, osNumber] of numbers.entries()) {
      const truth = await truthOf(sim, osNumber);
      const status = statuses[index]!;
      if (truth === null) {
        notFound += 1;
        if (
          (status.result as { items: Array<{ outcome: string }> }).items[0]!.outcome !== 'not_found'
        ) {
          mismatches.push(`${osNumber}: expected not_found, got ${JSON.stringify(status.result)}`);
        }
        continue;
      }
      expect(status).toMatchObject({
        status: 'completed',
        state: 'completed',
        progress: 100,
        succeeded: 1,
      });
      const stored = await t.http().get(`/api/desenvolvimento/os/${osNumber}`).set(auth);
      if (stored.status !== 200) mismatches.push(`${osNumber}: GET os → ${stored.status}`);
      else if (!isDeepStrictEqual(stored.body.data, truth)) {
        try {
          expect(stored.body.data).toStrictEqual(truth);
        } catch (error) {
          mismatches.push(`${osNumber}: ${(error as Error).message.slice(0, 500)}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(notFound).toBeGreaterThan(0);

    const usage = await t.db.query<{ outcome: string; n: string }>(
      'SELECT outcome, count(*) AS n FROM scraping_usage_stats GROUP BY outcome ORDER BY outcome',
    );
    expect(Object.fromEntries(usage.map((row) => [row.outcome, Number(row.n)]))).toEqual({
      success: COUNT - notFound,
      not_found: notFound,
    });
    const [orders] = await t.db.query<{ n: string }>('SELECT count(*) AS n FROM scraped_orders');
    expect(Number(orders!.n)).toBe(COUNT - notFound);
    // Sessions are reused: a handful of logins, not one per OS.
    expect(sim.stats().logins.successful).toBeLessThanOrEqual(8);
  });

  it('keeps the version on an unchanged re-scrape and answers 404 for an OS never scraped', async () => {
    const auth = { Authorization: `Bearer ${user.token}` };
    const existing = (
      await mapConcurrently(numbers.slice(0, 10), 5, async (n) =>
        (await truthOf(sim, n)) ? n : null,
      )
    ).find(Boolean)!;
    const before = await t.http().get(`/api/desenvolvimento/os/${existing}`).set(auth).expect(200);
    const refresh = await t
      .http()
      .get(`/api/desenvolvimento/os/${existing}?refresh=true`)
      .set(auth)
      .expect(200);
    expect(refresh.body.refresh_task_id).toEqual(expect.any(String));
    await waitForTask(
      t,
      user.token,
      `/api/desenvolvimento/scraping-status/${refresh.body.refresh_task_id}`,
    );
    const after = await t.http().get(`/api/desenvolvimento/os/${existing}`).set(auth).expect(200);
    expect(after.body.version).toBe(before.body.version);
    expect(after.body.data).toEqual(before.body.data);
    expect(Date.parse(after.body.last_scraped_at)).toBeGreaterThan(
      Date.parse(before.body.last_scraped_at),
    );

    const never = await t.http().get('/api/desenvolvimento/os/9999991').set(auth);
    expect(never.status).toBe(404);
    expect(never.body.message).toBe('OS 9999991 has never been scraped');
    expect(never.body.outcome).toBeUndefined();
  });

  it('answers 404 naming the outcome and when it was checked for an OS read and not found', async () => {
    const auth = { Authorization: `Bearer ${user.token}` };
    const missing = (
      await mapConcurrently(numbers, 5, async (n) => ((await truthOf(sim, n)) ? null : n))
    ).find(Boolean)!;
    const [usage] = await t.db.query<{ created_at: Date }>(
      `SELECT created_at FROM scraping_usage_stats WHERE os_number = $1 AND outcome = 'not_found'
       ORDER BY created_at DESC LIMIT 1`,
      [missing],
    );
    const answer = await t.http().get(`/api/desenvolvimento/os/${missing}`).set(auth).expect(404);
    expect(answer.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: `OS ${missing} was not found on the target when last checked`,
      outcome: 'not_found',
      checked_at: usage!.created_at.toISOString(),
    });
  });
});
