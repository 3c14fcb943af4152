import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueName } from '../../src/queues/queue-names.js';
import { startTestSimulator, targetEnv, type RunningSimulator } from '../support/simulator.js';
import { waitForTask } from '../support/tasks.js';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app.js';

const numbers = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => String(from + i));

describe('cancelling and retrying batches', () => {
  let sim: RunningSimulator;
  let t: TestApp;
  let user: TestUser;
  const auth = () => ({ Authorization: `Bearer ${user.token}` });

  beforeAll(async () => {
    sim = await startTestSimulator({ layout: 'a', latencyMs: 100 });
    t = await startTestApp({
      env: {
        ...targetEnv(sim),
        RATE_LIMIT_BATCHES_PER_HOUR: '1000',
        TARGET_MAX_RPS: '0',
        SCRAPER_MAX_ATTEMPTS: '1',
        SCRAPER_RETRY_BASE_MS: '10',
        CIRCUIT_FAILURE_THRESHOLD: '1000',
        SCRAPER_PAGE_TIMEOUT_MS: '3000',
      },
    });
    user = await t.createUser();
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  it('cancels a running batch: OS in flight finish, the rest become cancelled, counts add up', async () => {
    const accepted = await t
      .http()
      .post('/api/desenvolvimento/scraping-batch')
      .set(auth())
      .send({ os_numbers: numbers(6000, 40) })
      .expect(202);
    const id = accepted.body.task_id as string;
    await expect
      .poll(
        async () =>
          (await t.http().get(`/api/desenvolvimento/scraping-batch-status/${id}`).set(auth())).body
            .processed,
        { interval: 50, timeout: 90_000 },
      )
      .toBeGreaterThanOrEqual(5);
    const cancelled = await t
      .http()
      .post(`/api/desenvolvimento/scraping-batch/${id}/cancel`)
      .set(auth())
      .expect(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', state: 'cancelled' });
    const final = await waitForTask(
      t,
      user.token,
      `/api/desenvolvimento/scraping-batch-status/${id}`,
    );
    await expect
      .poll(
        async () =>
          (await t.db.query('SELECT finished_at FROM scraping_batch_stats WHERE id = $1', [id]))[0]!
            .finished_at,
        { timeout: 20_000 },
      )
      .not.toBeNull();

    const [batch] = await t.db.query<{
      total: number;
      processed: number;
      cancelled: number;
      state: string;
    }>('SELECT total, processed, cancelled, state FROM scraping_batch_stats WHERE id = $1', [id]);
    expect(batch!.state).toBe('cancelled');
    expect(batch!.cancelled).toBeGreaterThan(0);
    expect(batch!.processed + batch!.cancelled).toBe(40);
    const statuses = await t.db.query<{ status: string; n: string }>(
      'SELECT status, count(*) AS n FROM scraping_batch_items WHERE batch_id = $1 GROUP BY status',
      [id],
    );
    expect(statuses.map((row) => row.status).sort()).not.toContain('pending');
    expect(statuses.map((row) => row.status)).not.toContain('running');
    const [{ n }] = await t.db.query<{ n: string }>(
      'SELECT count(*) AS n FROM scraping_usage_stats WHERE batch_id = $1',
      [id],
    );
    expect(Number(n)).toBe(batch!.processed);
    expect(final.status).toBe('cancelled');

    const again = await t
      .http()
      .post(`/api/desenvolvimento/scraping-batch/${id}/cancel`)
      .set(auth());
    expect(again.status).toBe(409);
    expect(again.body.message).toBe(`batch ${id} is already cancelled`);
  });

  it('cancels a queued batch at once', async () => {
    await t.app.get<Queue>(getQueueToken(QueueName.Batch)).pause(true);
    const accepted = await t
      .http()
      .post('/api/desenvolvimento/scraping-batch')
      .set(auth())
      .send({ os_numbers: numbers(6100, 5) })
      .expect(202);
    const cancelled = await t
      .http()
      .post(`/api/desenvolvimento/scraping-batch/${accepted.body.task_id}/cancel`)
      .set(auth())
      .expect(200);
    await t.app.get<Queue>(getQueueToken(QueueName.Batch)).resume(true);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', processed: 0 });
    expect(cancelled.body.finished_at).not.toBeNull();
    expect(cancelled.body.result.cancelled).toBe(5);
  });

  it('retries the failed OS of a batch in a new batch', async () => {
    sim.update({ errorRate: 1, latencyMs: 0 });
    const accepted = await t
      .http()
      .post('/api/desenvolvimento/scraping-batch')
      .set(auth())
      .send({ os_numbers: numbers(6200, 3), batch_name: 'Falhas' })
      .expect(202);
    const failed = await waitForTask(
      t,
      user.token,
      `/api/desenvolvimento/scraping-batch-status/${accepted.body.task_id}`,
    );
    sim.update({ errorRate: 0 });
    expect(failed).toMatchObject({ status: 'completed', failed: 3, succeeded: 0 });
    const items = (failed.result as { items: Array<{ outcome: string; error: string }> }).items;
    expect(
      items.every((item) => item.outcome === 'failed' && item.error.startsWith('http_5xx')),
    ).toBe(true);

    const retry = await t
      .http()
      .post(`/api/desenvolvimento/scraping-batch/${accepted.body.task_id}/retry-failed`)
      .set(auth())
      .expect(202);
    expect(retry.body).toMatchObject({ total: 3, batch_name: 'Falhas (nova tentativa)' });
    expect(retry.body.task_id).not.toBe(accepted.body.task_id);
    const done = await waitForTask(
      t,
      user.token,
      `/api/desenvolvimento/scraping-batch-status/${retry.body.task_id}`,
    );
    expect(done).toMatchObject({ status: 'completed', failed: 0 });

    const none = await t
      .http()
      .post(`/api/desenvolvimento/scraping-batch/${retry.body.task_id}/retry-failed`)
      .set(auth());
    expect(none.status).toBe(409);
    expect(none.body.message).toBe(`batch ${retry.body.task_id} has no failed OS`);
  });
});
