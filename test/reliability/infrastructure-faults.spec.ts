import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TaskRecoveryService, type RecoveryReport } from '../../src/batch/task-recovery.service.js';
import { PrivateRedis } from '../support/private-redis.js';
import { startTestSimulator, targetEnv, type RunningSimulator } from '../support/simulator.js';
import { adminQuery, HARNESS_APP_NAME } from '../support/test-database.js';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app.js';
import {
  expectRunInvariants,
  numbers,
  processedCount,
  RUN_SETTINGS,
  submitBatches,
  waitForBatches,
  waitForProcessed,
} from './support/batch-run.js';
import { Workers } from '../support/workers.js';
import { Figures } from './support/figures.js';

/** Redis and PostgreSQL fail under a run of batches; PostgreSQL stays the source of truth. */
describe('Redis restarted and PostgreSQL connections terminated during a run of batches', () => {
  const figures = new Figures('infrastructure-faults');
  let sim: RunningSimulator;
  let redis: PrivateRedis;
  let api: TestApp;
  let user: TestUser;
  const env = () => ({ ...RUN_SETTINGS, REDIS_URL: redis.url });
  const workers = new Workers(
    () => api,
    () => sim,
    env,
  );

  beforeAll(async () => {
    sim = await startTestSimulator({ layout: 'a', latencyMs: 50, jitterMs: 20 });
    redis = await PrivateRedis.start();
    api = await startTestApp({ env: { ...targetEnv(sim), ...env(), ROLE: 'api' } });
    user = await api.createUser();
    await workers.start();
  });
  afterAll(async () => {
    await workers.stopAll(true);
    await api?.close();
    await redis?.stop();
    await sim?.close();
  });

  it('finishes every batch after Redis is killed and restarted empty mid-run (queues reconnect, maintenance re-queues)', async () => {
    const batches = [0, 1, 2].map((b) => numbers(130_000 + b * 1000, 100));
    const ids = await submitBatches(api, user.token, batches);
    await waitForProcessed(api, ids, 60, 120_000);
    await redis.stop();
    const atStop = await processedCount(api, ids);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await redis.startServer();
    // The restarted Redis is empty: every queued job is gone. The scheduler's recovery pass
    // (maintenance `recover-orphans`) is what finds the open batches in PostgreSQL again.
    const recovery = api.app.get(TaskRecoveryService);
    const passes: RecoveryReport[] = [];
    let lastPass = 0;
    await waitForBatches(api, ids, 180_000, async () => {
      if (Date.now() - lastPass < 2_000) return;
      lastPass = Date.now();
      const report = await recovery.recoverOrphans(0).catch(() => null);
      if (report) passes.push(report);
    });
    const account = await expectRunInvariants(api, sim, ids);
    expect(account.failed).toBe(0);

    // The API takes new work on the restarted Redis and a worker runs it.
    const [after] = await submitBatches(api, user.token, [numbers(139_000, 20)]);
    await waitForBatches(api, [after!], 60_000);
    await expectRunInvariants(api, sim, [after!]);
    figures.set('redis_restart', {
      processed_when_killed: atStop,
      redis_down_ms: 3_000,
      recovery_passes: passes.length,
      batches_requeued: passes.reduce((sum, pass) => sum + pass.batches_requeued, 0),
      batch_after_restart: 'accepted and completed',
      ...account,
    });
  });

  it('finishes every batch while the app’s PostgreSQL connections are terminated again and again', async () => {
    const batches = [0, 1, 2].map((b) => numbers(140_000 + b * 1000, 100));
    const ids = await submitBatches(api, user.token, batches);
    let terminations = 0;
    let backends = 0;
    const terminate = async () => {
      // Every connection to the test database but the harness's own checks: the API's pool
      // (this process) and the worker's (another process).
      const result = await adminQuery(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = $1 AND pid <> pg_backend_pid() AND application_name <> $2`,
        [api.db.name, HARNESS_APP_NAME],
      );
      terminations += 1;
      backends += result.rowCount ?? 0;
    };
    for (const mark of [30, 90, 150, 210]) {
      await waitForProcessed(api, ids, mark, 120_000);
      await terminate();
    }
    // No recovery pass here: the processes themselves must ride out lost connections.
    await waitForBatches(api, ids, 180_000);
    const account = await expectRunInvariants(api, sim, ids);
    expect(account.failed).toBe(0);
    expect(backends).toBeGreaterThan(terminations);
    figures.set('postgres_terminated', {
      terminations,
      backends_terminated: backends,
      ...account,
    });
  });
});
