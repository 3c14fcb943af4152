import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MaintenanceScheduler } from '../../src/admin/maintenance/maintenance.scheduler.js';
import { MAINTENANCE_TASKS } from '../../src/queues/job-payloads.js';
import { QueueName } from '../../src/queues/queue-names.js';
import { expectBatchInvariants } from '../support/invariants.js';
import { startTestSimulator, targetEnv, type RunningSimulator } from '../support/simulator.js';
import { waitForTask } from '../support/tasks.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('scheduled maintenance', () => {
  let sim: RunningSimulator;
  let api: TestApp;
  let schedulers: TestApp[];
  let worker: TestApp | undefined;
  let adminAuth: Record<string, string>;

  beforeAll(async () => {
    sim = await startTestSimulator({ layout: 'a' });
    api = await startTestApp({
      env: { ...targetEnv(sim), ROLE: 'api', RATE_LIMIT_BATCHES_PER_HOUR: '1000' },
    });
    const shared = {
      database: api.db,
      env: { ...targetEnv(sim), REDIS_PREFIX: api.redisPrefix, JWT_SECRET: api.config.JWT_SECRET! },
    };
    // The tests tick the schedulers themselves: a cron firing at a minute's turn would run
    // recover-batches in another slot first, and the tick's run would find nothing to recover.
    const scheduler = { ...shared, env: { ...shared.env, ROLE: 'scheduler' }, crons: false };
    schedulers = [await startTestApp(scheduler), await startTestApp(scheduler)];
    adminAuth = { Authorization: `Bearer ${await api.adminToken()}` };
  });
  afterAll(async () => {
    await worker?.stop();
    for (const scheduler of schedulers ?? []) await scheduler.stop();
    await api?.close();
    await sim?.close();
  });

  async function startWorker(): Promise<void> {
    worker ??= await startTestApp({
      database: api.db,
      env: {
        ...targetEnv(sim),
        ROLE: 'worker',
        REDIS_PREFIX: api.redisPrefix,
        JWT_SECRET: api.config.JWT_SECRET!,
      },
    });
  }

  async function runsOf(jobId: string) {
    return api.db.query<{ task: string; status: string; triggered_by: string }>(
      'SELECT task, status, triggered_by FROM maintenance_runs WHERE job_id = $1',
      [jobId],
    );
  }

  it('runs each task once per period when two schedulers enqueue it at the same moment', async () => {
    const queue = api.app.get<Queue>(getQueueToken(QueueName.Maintenance));
    const slot = new Date('2026-11-28T10:00:05Z');
    const jobIds: string[] = [];
    for (const task of MAINTENANCE_TASKS) {
      const ids = await Promise.all(
        schedulers.map((scheduler) => scheduler.app.get(MaintenanceScheduler).tick(task, slot)),
      );
      expect(ids[0]).toBe(ids[1]);
      jobIds.push(ids[0]!);
    }
    expect(jobIds).toContain('clean-jobs:2026-11-28T10:00Z');
    expect(jobIds).toContain('retire-sessions:2026-11-28T10:00Z');
    const queued = await queue.getJobs(['waiting', 'delayed']);
    for (const jobId of jobIds) expect(queued.filter((job) => job.id === jobId)).toHaveLength(1);

    await startWorker();
    for (const jobId of jobIds) {
      await expect.poll(async () => (await runsOf(jobId)).length, { timeout: 90_000 }).toBe(1);
      expect(await runsOf(jobId)).toEqual([
        expect.objectContaining({ status: 'success', triggered_by: 'schedule' }),
      ]);
    }
    // The same slot later (a scheduler restarting) adds nothing.
    await schedulers[0]!.app
      .get(MaintenanceScheduler)
      .tick('clean-jobs', new Date('2026-11-28T10:59:59Z'));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await runsOf('clean-jobs:2026-11-28T10:00Z')).toHaveLength(1);
  });

  it('lets an admin run a task now and see every run with what it did', async () => {
    const response = await api
      .http()
      .post('/api/admin/scraping/maintenance/clean-jobs')
      .set(adminAuth)
      .expect(202);
    expect(response.body).toMatchObject({
      task: 'clean-jobs',
      status: 'queued',
      job_id: expect.stringMatching(/^clean-jobs:manual:/),
    });
    await expect
      .poll(async () => (await runsOf(response.body.job_id)).length, { timeout: 90_000 })
      .toBe(1);
    const runs = await api
      .http()
      .get('/api/admin/scraping/maintenance-runs?task=clean-jobs')
      .set(adminAuth)
      .expect(200);
    const run = runs.body.items.find(
      (item: { job_id: string }) => item.job_id === response.body.job_id,
    );
    expect(run).toMatchObject({
      task: 'clean-jobs',
      triggered_by: 'admin',
      status: 'success',
      result: { removed: expect.any(Object) },
    });
    expect(run.duration_ms).toBeGreaterThanOrEqual(0);
    const bad = await api.http().post('/api/admin/scraping/maintenance/drop-tables').set(adminAuth);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe(
      'task must be one of: clean-jobs, rollup-usage, recover-batches, retire-sessions, evaluate-alerts, refresh-figures, refresh-open-os',
    );
  });

  it('recovers an open batch whose job vanished, through the scheduled recover-batches task', async () => {
    // No worker while the batch is accepted and its job removed: a paused worker's blocking
    // fetch could still take the job first, and then the batch finished with no recovery needed.
    await worker?.stop();
    worker = undefined;
    const user = await api.createUser();
    const batchQueue = api.app.get<Queue>(getQueueToken(QueueName.Batch));
    const accepted = await api
      .http()
      .post('/api/desenvolvimento/scraping-batch')
      .set('Authorization', `Bearer ${user.token}`)
      .send({ os_numbers: ['500', '501', '502'] })
      .expect(202);
    await batchQueue.obliterate({ force: true });
    await api.db.query(
      "UPDATE scraping_batch_stats SET updated_at = now() - interval '5 minutes' WHERE id = $1",
      [accepted.body.task_id],
    );
    await startWorker();

    const jobId = await schedulers[0]!.app
      .get(MaintenanceScheduler)
      .tick('recover-batches', new Date());
    await expect.poll(async () => (await runsOf(jobId!)).length, { timeout: 90_000 }).toBe(1);
    const [run] = await api.db.query<{ result: { batches_requeued: number } }>(
      'SELECT result FROM maintenance_runs WHERE job_id = $1',
      [jobId],
    );
    expect(run!.result.batches_requeued).toBe(1);
    const status = await waitForTask(
      api,
      user.token,
      `/api/desenvolvimento/scraping-batch-status/${accepted.body.task_id}`,
    );
    expect(status).toMatchObject({ status: 'completed', processed: 3 });
    await expectBatchInvariants(api.db, [accepted.body.task_id]);
  });
});
