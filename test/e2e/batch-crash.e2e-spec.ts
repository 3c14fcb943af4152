import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TaskRecoveryService } from '../../src/batch/task-recovery.service.js';
import { QueueName } from '../../src/queues/queue-names.js';
import { expectBatchInvariants } from '../support/invariants.js';
import { Workers } from '../support/workers.js';
import {
  startTestSimulator,
  targetEnv,
  truthOf,
  type RunningSimulator,
} from '../support/simulator.js';
import { waitForTask } from '../support/tasks.js';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app.js';

const numbers = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => String(from + i));

describe('batches survive their workers', () => {
  let sim: RunningSimulator;
  let api: TestApp;
  let user: TestUser;
  const workers = new Workers(
    () => api,
    () => sim,
    () => settings,
  );
  const settings = {
    RATE_LIMIT_BATCHES_PER_HOUR: '1000',
    TARGET_MAX_RPS: '0',
    QUEUE_LOCK_DURATION_MS: '4000',
  };

  const startWorker = () => workers.start();

  beforeAll(async () => {
    sim = await startTestSimulator({ layout: 'a', latencyMs: 40 });
    api = await startTestApp({ env: { ...targetEnv(sim), ...settings, ROLE: 'api' } });
    user = await api.createUser();
  });
  afterAll(async () => {
    await workers.stopAll(true);
    await api?.close();
    await sim?.close();
  });

  it('finishes a batch whose worker was killed with SIGKILL mid-batch, losing and duplicating nothing', async () => {
    const first = await startWorker();
    const osNumbers = numbers(8000, 60);
    const accepted = await api
      .http()
      .post('/api/desenvolvimento/scraping-batch')
      .set('Authorization', `Bearer ${user.token}`)
      .send({ os_numbers: osNumbers })
      .expect(202);
    const id = accepted.body.task_id as string;
    await expect
      .poll(
        async () =>
          (
            await api.db.query<{ processed: number }>(
              'SELECT processed FROM scraping_batch_stats WHERE id = $1',
              [id],
            )
          )[0]!.processed,
        {
          interval: 20,
          timeout: 90_000,
        },
      )
      .toBeGreaterThanOrEqual(10);
    expect(await first.stop('SIGKILL')).toBeNull();
    const [atKill] = await api.db.query<{ processed: number }>(
      'SELECT processed FROM scraping_batch_stats WHERE id = $1',
      [id],
    );
    expect(atKill!.processed).toBeLessThan(60);

    await startWorker();
    const status = await waitForTask(
      api,
      user.token,
      `/api/desenvolvimento/scraping-batch-status/${id}`,
      90_000,
    );
    expect(status).toMatchObject({ status: 'completed', processed: 60, total: 60 });
    await expectBatchInvariants(api.db, [id]);
    const [run] = await api.db.query<{ runs: number }>(
      'SELECT runs FROM scraping_batch_stats WHERE id = $1',
      [id],
    );
    expect(run!.runs).toBeGreaterThanOrEqual(2);
    for (const item of (status.result as { items: Array<{ os_number: string; outcome: string }> })
      .items) {
      expect(item.outcome).toBe((await truthOf(sim, item.os_number)) ? 'success' : 'not_found');
    }
  });

  it('queues again a batch whose job vanished from Redis, and a worker finishes it', async () => {
    await workers.stopAll();
    const queue = api.app.get<Queue>(getQueueToken(QueueName.Batch));
    const accepted = await api
      .http()
      .post('/api/desenvolvimento/scraping-batch')
      .set('Authorization', `Bearer ${user.token}`)
      .send({ os_numbers: numbers(9000, 10) })
      .expect(202);
    const id = accepted.body.task_id as string;
    await queue.obliterate({ force: true });
    expect(await queue.getJobCounts()).toMatchObject({ waiting: 0, active: 0, delayed: 0 });

    const recovery = api.app.get(TaskRecoveryService);
    expect(await recovery.recoverOrphans(0)).toEqual({
      batches_requeued: 1,
      batches_failed: 0,
      requests_requeued: 0,
      requests_failed: 0,
    });
    // Its job is live again: a second pass leaves it alone.
    expect(await recovery.recoverOrphans(0)).toEqual({
      batches_requeued: 0,
      batches_failed: 0,
      requests_requeued: 0,
      requests_failed: 0,
    });

    await startWorker();
    const status = await waitForTask(
      api,
      user.token,
      `/api/desenvolvimento/scraping-batch-status/${id}`,
      60_000,
    );
    expect(status).toMatchObject({ status: 'completed', processed: 10 });
    await expectBatchInvariants(api.db, [id]);
  });

  it('fails, with an outcome for every OS, a task started 20 times without finishing (single OS and batch)', async () => {
    await workers.stopAll();
    const auth = { Authorization: `Bearer ${user.token}` };
    const batch = await api
      .http()
      .post('/api/desenvolvimento/scraping-batch')
      .set(auth)
      .send({ os_numbers: numbers(9300, 3) })
      .expect(202);
    const single = await api
      .http()
      .post('/api/desenvolvimento/scraping')
      .set(auth)
      .send({ os_number: '9400' })
      .expect(202);
    for (const name of [QueueName.Batch, QueueName.Scraping])
      await api.app.get<Queue>(getQueueToken(name)).obliterate({ force: true });
    // Each run of these tasks ended with its worker (an OS that crashes Chromium or Node, say).
    await api.db.query('UPDATE scraping_tasks SET runs = 20 WHERE id = ANY ($1)', [
      [batch.body.task_id, single.body.task_id],
    ]);

    expect(await api.app.get(TaskRecoveryService).recoverOrphans(0)).toEqual({
      batches_requeued: 0,
      batches_failed: 1,
      requests_requeued: 0,
      requests_failed: 1,
    });
    const batchStatus = await api
      .http()
      .get(`/api/desenvolvimento/scraping-batch-status/${batch.body.task_id}`)
      .set(auth)
      .expect(200);
    expect(batchStatus.body).toMatchObject({ status: 'failed', processed: 3, failed: 3 });
    const singleStatus = await api
      .http()
      .get(`/api/desenvolvimento/scraping-status/${single.body.task_id}`)
      .set(auth)
      .expect(200);
    expect(singleStatus.body.status).toBe('failed');
    const items = await api.db.query<{ task_id: string; status: string; error_code: string }>(
      'SELECT task_id, status, error_code FROM scraping_task_items WHERE task_id = ANY ($1)',
      [[batch.body.task_id, single.body.task_id]],
    );
    expect(items).toHaveLength(4);
    for (const item of items)
      expect(item).toMatchObject({
        status: 'failed',
        error_code: item.task_id === single.body.task_id ? 'task_failed' : 'batch_failed',
      });
    await expectBatchInvariants(api.db, [batch.body.task_id]);
  });

  it('does not complete the job of a run that ends while another run still holds some of its OS', async () => {
    await workers.stopAll();
    await startWorker();
    const accepted = await api
      .http()
      .post('/api/desenvolvimento/scraping-batch')
      .set('Authorization', `Bearer ${user.token}`)
      .send({ os_numbers: numbers(9500, 100) })
      .expect(202);
    const id = accepted.body.task_id as string;
    await expect
      .poll(
        async () =>
          (
            await api.db.query<{ processed: number }>(
              'SELECT processed FROM scraping_batch_stats WHERE id = $1',
              [id],
            )
          )[0]!.processed,
        { interval: 20, timeout: 90_000 },
      )
      .toBeGreaterThanOrEqual(5);
    // Another run (one whose job lock lapsed, then died) holds the last OS: this run never takes it.
    const held = await api.db.query<{ os_number: string }>(
      `UPDATE scraping_batch_items SET status = 'running', started_at = now()
        WHERE id = (SELECT id FROM scraping_batch_items
                     WHERE batch_id = $1 AND status = 'pending' ORDER BY position DESC LIMIT 1)
        RETURNING os_number`,
      [id],
    );
    expect(held).toHaveLength(1);

    // The run ends with that OS still held: its attempt fails, and Bull's retry reads the OS.
    const status = await waitForTask(
      api,
      user.token,
      `/api/desenvolvimento/scraping-batch-status/${id}`,
      90_000,
    );
    expect(status).toMatchObject({ status: 'completed', processed: 100, total: 100 });
    await expectBatchInvariants(api.db, [id]);
    const [run] = await api.db.query<{ runs: number }>(
      'SELECT runs FROM scraping_batch_stats WHERE id = $1',
      [id],
    );
    expect(run!.runs).toBeGreaterThanOrEqual(2);
  });
});
