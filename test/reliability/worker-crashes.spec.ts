import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSimulator, targetEnv, type RunningSimulator } from '../support/simulator.js';
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
import { ChromiumTracker } from './support/chromium-tracker.js';
import { Figures, runSeed, seededRandom } from './support/figures.js';

/**
 * Worker processes die under a run of batches: SIGKILL at random moments (a crash, the OOM
 * killer), and SIGTERM (a deploy) that must drain and let the next start resume.
 */
describe('worker processes killed during a run of batches', () => {
  const figures = new Figures('worker-crashes');
  let sim: RunningSimulator;
  let api: TestApp;
  let user: TestUser;
  const workers = new Workers(
    () => api,
    () => sim,
    () => RUN_SETTINGS,
  );
  const tracker = new ChromiumTracker(() => workers.pids());

  beforeAll(async () => {
    sim = await startTestSimulator({ layout: 'a', latencyMs: 60, jitterMs: 30 });
    api = await startTestApp({ env: { ...targetEnv(sim), ...RUN_SETTINGS, ROLE: 'api' } });
    user = await api.createUser();
    tracker.start();
  });
  afterAll(async () => {
    tracker.stop();
    await workers.stopAll(true);
    await api?.close();
    await sim?.close();
  });

  it('loses and duplicates nothing when workers are SIGKILLed several times at random moments', async () => {
    const seed = runSeed();
    const random = seededRandom(seed);
    // Recorded first, so a failing run can be replayed with RELIABILITY_SEED.
    figures.set('sigkill', { seed });
    await workers.start();
    await workers.start();
    const batches = [0, 1, 2, 3].map((b) => numbers(110_000 + b * 1000, 100));
    const ids = await submitBatches(api, user.token, batches);
    const accepted = batches.flat().length;

    // Four kills, each when a random share of the run is done, of a random live worker, which a
    // new worker replaces (so the run also sees workers joining mid-batch).
    const kills: Array<{ at_processed: number; pid: number }> = [];
    const marks = Array.from({ length: 4 }, () =>
      Math.floor(accepted * (0.1 + 0.7 * random())),
    ).sort((a, b) => a - b);
    for (const mark of marks) {
      await waitForProcessed(api, ids, mark, 180_000);
      const live = workers.live();
      const victim = live[Math.floor(random() * live.length)]!;
      // A moment inside the current OS, not at a commit boundary.
      await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 150)));
      expect(await victim.stop('SIGKILL')).toBeNull();
      kills.push({ at_processed: await processedCount(api, ids), pid: victim.pid });
      await workers.start();
    }
    await waitForBatches(api, ids, 240_000);
    const account = await expectRunInvariants(api, sim, ids);
    expect(account.failed).toBe(0);
    const runs = await api.db.query<{ runs: number }>(
      'SELECT runs FROM scraping_batch_stats WHERE id = ANY($1)',
      [ids],
    );
    figures.set('sigkill', {
      seed,
      kills: kills.length,
      kill_points: kills.map((kill) => kill.at_processed),
      workers_started: workers.all.length,
      batch_runs: runs.map((row) => row.runs),
      ...account,
    });
    expect(kills).toHaveLength(4);
  });

  it('drains on SIGTERM mid-batch (exit 0, OS in flight committed or released) and the next start resumes the batch', async () => {
    await workers.stopAll();
    const worker = await workers.start({ SHUTDOWN_GRACE_MS: '10000' });
    const [id] = await submitBatches(api, user.token, [numbers(120_000, 100)]);
    await waitForProcessed(api, [id!], 20, 120_000);
    const code = await worker.stop('SIGTERM');
    const [atStop] = await api.db.query<{
      processed: number;
      state: string;
      finished_at: Date | null;
    }>('SELECT processed, state, finished_at FROM scraping_batch_stats WHERE id = $1', [id]);
    const running = await api.db.query(
      "SELECT os_number FROM scraping_batch_items WHERE batch_id = $1 AND status = 'running'",
      [id],
    );
    expect(code).toBe(0);
    expect(worker.output.join('\n')).not.toMatch(/"level":50/);
    // The batch is not finished, and no OS was left claimed by the stopped worker.
    expect(atStop!.finished_at).toBeNull();
    expect(atStop!.processed).toBeLessThan(100);
    expect(running).toEqual([]);

    await workers.start();
    await waitForBatches(api, [id!], 120_000);
    const account = await expectRunInvariants(api, sim, [id!]);
    expect(account.failed).toBe(0);
    const [after] = await api.db.query<{ runs: number }>(
      'SELECT runs FROM scraping_batch_stats WHERE id = $1',
      [id],
    );
    expect(after!.runs).toBeGreaterThanOrEqual(2);
    figures.set('sigterm', {
      exit_code: code,
      processed_at_sigterm: atStop!.processed,
      claimed_left_at_sigterm: running.length,
      runs: after!.runs,
      ...account,
    });
  });

  it('leaves no Chromium process behind its workers', async () => {
    await workers.stopAll();
    tracker.stop();
    await expect.poll(() => tracker.alive(), { timeout: 30_000 }).toEqual([]);
    figures.set('chromium', { seen: tracker.seenCount, left_over: tracker.alive().length });
  });
});
