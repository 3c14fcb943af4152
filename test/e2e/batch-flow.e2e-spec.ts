import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SINGLE_BATCH, THOUSAND_OS_STRATEGY } from '../fixtures/seed/client-usage.js';
import { runSeedSnippet } from '../support/seed-client.js';
import {
  startTestSimulator,
  targetEnv,
  truthOf,
  type RunningSimulator,
} from '../support/simulator.js';
import { waitForTask } from '../support/tasks.js';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app.js';

const numbers = (from: number, count: number, step = 3) =>
  Array.from({ length: count }, (_, i) => String(from + i * step));

describe('batches on the original contract', () => {
  let sim: RunningSimulator;
  let t: TestApp;
  let user: TestUser;

  beforeAll(async () => {
    sim = await startTestSimulator({ layout: 'a', latencyMs: 5 });
    t = await startTestApp({
      listen: true,
      env: { ...targetEnv(sim), RATE_LIMIT_BATCHES_PER_HOUR: '1000', TARGET_MAX_RPS: '0' },
    });
    user = await t.createUser();
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  it("serves the original client's flow as written: submit, poll while processing, read the result", async () => {
    const osNumbers = numbers(30_000, 12);
    const run = runSeedSnippet(t, user.token, SINGLE_BATCH, {
      osNumbers,
      until: (args) => args[0] === 'Lote concluído!',
    });
    await run.done;
    const [, result] = run.logs.find((args) => args[0] === 'Lote concluído!')!;
    const figures = result as {
      total: number;
      items: Array<{ os_number: string; outcome: string }>;
    };
    expect(figures.total).toBe(12);
    expect(figures.items.map((item) => item.os_number)).toEqual(osNumbers);
    for (const item of figures.items) {
      expect(item.outcome).toBe((await truthOf(sim, item.os_number)) ? 'success' : 'not_found');
    }
    expect(run.logs.some((args) => /^Progresso: \d+(\.\d+)?%$/.test(String(args[0])))).toBe(true);
    expect(run.logs.some((args) => /^Status: /.test(String(args[0])))).toBe(true);
  });

  it('runs the "1000 OS" strategy of the write-up, shrunk to 3 batches of 20', async () => {
    const osNumbers = numbers(40_000, 60);
    const run = runSeedSnippet(
      t,
      user.token,
      THOUSAND_OS_STRATEGY.replace('const batchSize = 100;', 'const batchSize = 20;'),
      {
        osNumbers,
        waitForCompletion: async (taskId) => {
          await waitForTask(t, user.token, `/api/desenvolvimento/scraping-batch-status/${taskId}`);
        },
      },
    );
    await run.done;
    expect(run.logs.map((args) => args[0])).toEqual([
      'Iniciando Lote_1_de_3...',
      'Lote_1_de_3 concluído!',
      'Iniciando Lote_2_de_3...',
      'Lote_2_de_3 concluído!',
      'Iniciando Lote_3_de_3...',
      'Lote_3_de_3 concluído!',
    ]);
    const rows = await t.db.query<{
      name: string;
      state: string;
      total: number;
      processed: number;
    }>(
      "SELECT name, state, total, processed FROM scraping_batch_stats WHERE name LIKE 'Lote\\_%\\_de\\_3' ORDER BY name",
    );
    expect(rows).toEqual([
      { name: 'Lote_1_de_3', state: 'completed', total: 20, processed: 20 },
      { name: 'Lote_2_de_3', state: 'completed', total: 20, processed: 20 },
      { name: 'Lote_3_de_3', state: 'completed', total: 20, processed: 20 },
    ]);
    const [{ n }] = await t.db.query<{ n: string }>(
      'SELECT count(DISTINCT os_number) AS n FROM scraping_usage_stats WHERE os_number = ANY($1)',
      [osNumbers],
    );
    expect(Number(n)).toBe(60);
  });

  it('keeps per-batch figures: outcomes, durations (avg, p95), paths, retries, who and when', async () => {
    const accepted = await t
      .http()
      .post('/api/desenvolvimento/scraping-batch')
      .set('Authorization', `Bearer ${user.token}`)
      .send({ os_numbers: numbers(45_000, 15), batch_name: 'Figuras' })
      .expect(202);
    const status = await waitForTask(
      t,
      user.token,
      `/api/desenvolvimento/scraping-batch-status/${accepted.body.task_id}`,
    );
    const [row] = await t.db.query<Record<string, unknown>>(
      'SELECT * FROM scraping_batch_stats WHERE id = $1',
      [accepted.body.task_id],
    );
    const [computed] = await t.db.query<{ avg: number; p95: number; ok: string; nf: string }>(
      `SELECT round(avg(duration_ms))::int AS avg,
              round(percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms))::int AS p95,
              count(*) FILTER (WHERE status = 'success') AS ok, count(*) FILTER (WHERE status = 'not_found') AS nf
         FROM scraping_batch_items WHERE batch_id = $1`,
      [accepted.body.task_id],
    );
    expect(row).toMatchObject({
      user_id: user.id,
      state: 'completed',
      total: 15,
      processed: 15,
      succeeded: Number(computed!.ok),
      not_found: Number(computed!.nf),
      failed: 0,
      avg_duration_ms: computed!.avg,
      p95_duration_ms: computed!.p95,
      path_http: 15,
    });
    expect(status).toMatchObject({
      task_id: accepted.body.task_id,
      batch_name: 'Figuras',
      status: 'completed',
      state: 'completed',
      progress: 100,
      message: 'Concluído: 15/15 OS processadas',
      total: 15,
      processed: 15,
    });
    expect(status.result).toMatchObject({
      total: 15,
      avg_duration_ms: computed!.avg,
      p95_duration_ms: computed!.p95,
      paths: { http: 15, browser: 0, robust: 0 },
      retries: 0,
    });
    expect(Date.parse(String(status.finished_at))).toBeGreaterThanOrEqual(
      Date.parse(String(status.started_at)),
    );
  });
});
