import autocannon, { type Result } from 'autocannon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSimulator, targetEnv, type RunningSimulator } from '../support/simulator.js';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app.js';
import {
  expectRunInvariants,
  numbers,
  RUN_SETTINGS,
  submitBatches,
  waitForBatches,
  waitForProcessed,
} from './support/batch-run.js';
import { Workers } from '../support/workers.js';
import { Figures } from './support/figures.js';

/** Bounded and on loopback only: a few seconds per endpoint, ten connections. */
const DURATION_SECONDS = Number(process.env.RELIABILITY_LOAD_SECONDS ?? 8);
const CONNECTIONS = 10;

interface LoadFigures {
  path: string;
  connections: number;
  duration_s: number;
  requests: number;
  requests_per_second: number;
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
  errors: number;
  timeouts: number;
  non_2xx: number;
}

async function hammer(url: string, path: string, token: string): Promise<LoadFigures> {
  const result: Result = await autocannon({
    url: `${url}${path}`,
    connections: CONNECTIONS,
    duration: DURATION_SECONDS,
    headers: { authorization: `Bearer ${token}` },
  });
  return {
    path: path.replace(/[0-9a-f-]{36}/, '{task_id}'),
    connections: CONNECTIONS,
    duration_s: DURATION_SECONDS,
    requests: result.requests.total,
    requests_per_second: Math.round(result.requests.average),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    max_ms: result.latency.max,
    errors: result.errors,
    timeouts: result.timeouts,
    non_2xx: result.non2xx,
  };
}

/**
 * The read side under load while batches run: autocannon against a batch's status and the admin
 * dashboard (with the production cache setting), through the API process, with one worker
 * process scraping. Every answer must be a 2xx and the batches must still finish whole.
 * Latencies are recorded, never asserted.
 */
describe('load on the read endpoints while batches run', () => {
  const figures = new Figures('load');
  let sim: RunningSimulator;
  let api: TestApp;
  let user: TestUser;
  let adminToken: string;
  const workers = new Workers(
    () => api,
    () => sim,
    () => RUN_SETTINGS,
  );

  beforeAll(async () => {
    sim = await startTestSimulator({ layout: 'a', latencyMs: 400, jitterMs: 100 });
    api = await startTestApp({
      listen: true,
      env: { ...targetEnv(sim), ...RUN_SETTINGS, ROLE: 'api', STATS_CACHE_SECONDS: '90' },
    });
    user = await api.createUser();
    adminToken = await api.adminToken();
  });
  afterAll(async () => {
    await workers.stopAll(true);
    await api?.close();
    await sim?.close();
  });

  it('answers every status and dashboard request with a 2xx, and the batches finish whole', async () => {
    await workers.start();
    const ids = await submitBatches(
      api,
      user.token,
      [0, 1, 2, 3, 4, 5].map((b) => numbers(180_000 + b * 1000, 100)),
    );
    await waitForProcessed(api, ids, 5, 60_000);

    const status = await hammer(
      api.url,
      `/api/desenvolvimento/scraping-batch-status/${ids[0]!}`,
      user.token,
    );
    const dashboard = await hammer(api.url, '/api/admin/scraping/dashboard?days=30', adminToken);
    // The load ran while the batches did, not after them.
    const [open] = await api.db.query<{ n: string }>(
      'SELECT count(*) AS n FROM scraping_batch_stats WHERE id = ANY($1) AND finished_at IS NULL',
      [ids],
    );
    const stillRunning = Number(open!.n);

    await waitForBatches(api, ids, 300_000);
    const account = await expectRunInvariants(api, sim, ids);
    figures.set('batch_status', status);
    figures.set('dashboard', dashboard);
    figures.set('batches_open_when_load_ended', stillRunning);
    figures.set('run', account);

    for (const run of [status, dashboard]) {
      expect(run.requests).toBeGreaterThan(0);
      expect({ errors: run.errors, timeouts: run.timeouts, non_2xx: run.non_2xx }).toEqual({
        errors: 0,
        timeouts: 0,
        non_2xx: 0,
      });
    }
    expect(stillRunning).toBeGreaterThan(0);
    expect(account.failed).toBe(0);
  });
});
