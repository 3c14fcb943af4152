import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MaintenanceScheduler } from '../../src/admin/maintenance/maintenance.scheduler.js';
import { groupedJobId } from '../../src/queues/queue-options.js';
import { QueueName } from '../../src/queues/queue-names.js';
import { startTestSimulator, targetEnv, type RunningSimulator } from '../support/simulator.js';
import { waitForTask } from '../support/tasks.js';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app.js';

const FINAL = { concluded: '7001', cancelled: '7002' };
const OPEN = '7003';
/** Not final either, but it already has a request waiting: no second read is queued. */
const BUSY = '7004';
const OS_NUMBERS = [FINAL.concluded, FINAL.cancelled, OPEN, BUSY];

interface StoredRow {
  os_number: string;
  version: number;
  last_scraped_at: Date;
}

describe('keeping open OS fresh', () => {
  let sim: RunningSimulator;
  let t: TestApp;
  let user: TestUser;
  let profileDir: string;

  beforeAll(async () => {
    sim = await startTestSimulator({ layout: 'a', notFoundRate: 0 });
    // The shipped profile plus a freshness block.
    const profile = JSON.parse(readFileSync('profiles/erp-simulator.json', 'utf8')) as Record<
      string,
      unknown
    >;
    profile.freshness = {
      status_field: 'status',
      final_values: ['Concluída', 'Cancelada'],
      max_age_minutes: 30,
    };
    profileDir = mkdtempSync(join(tmpdir(), 'keep-fresh-'));
    const profilePath = join(profileDir, 'profile.json');
    writeFileSync(profilePath, JSON.stringify(profile));
    t = await startTestApp({
      env: {
        ...targetEnv(sim),
        TARGET_PROFILE: profilePath,
        RATE_LIMIT_BATCHES_PER_HOUR: '1000',
        TARGET_MAX_RPS: '0',
        FRESHNESS_MAX_OS_PER_RUN: '50',
      },
    });
    user = await t.createUser();
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  });

  async function stored(): Promise<Record<string, StoredRow>> {
    const rows = await t.db.query<StoredRow>(
      'SELECT os_number, version, last_scraped_at FROM scraped_orders ORDER BY os_number',
    );
    return Object.fromEntries(rows.map((row) => [row.os_number, row]));
  }

  it('re-reads stored OS whose status is not final, behind user work, and leaves final ones alone', async () => {
    sim.edit(Number(FINAL.concluded), { status: 'Concluída' });
    sim.edit(Number(FINAL.cancelled), { status: 'Cancelada' });
    sim.edit(Number(OPEN), { status: 'Em andamento' });
    sim.edit(Number(BUSY), { status: 'Aberta' });

    const accepted = await t
      .http()
      .post('/api/desenvolvimento/scraping-batch')
      .set('Authorization', `Bearer ${user.token}`)
      .send({ os_numbers: OS_NUMBERS })
      .expect(202);
    const final = await waitForTask(
      t,
      user.token,
      `/api/desenvolvimento/scraping-batch-status/${accepted.body.task_id}`,
    );
    expect(final).toMatchObject({ status: 'completed', processed: OS_NUMBERS.length });

    // Every OS was last read long ago (older than max_age_minutes), and the ERP changed two of them.
    await t.db.query(
      "UPDATE scraped_orders SET last_scraped_at = now() - interval '2 hours' WHERE os_number = ANY($1)",
      [OS_NUMBERS],
    );
    const before = await stored();
    sim.edit(Number(OPEN), { tecnico: 'Técnico Reatribuído' });
    sim.edit(Number(FINAL.concluded), { tecnico: 'Técnico Reatribuído' });
    await t.db.query(
      `WITH task AS (INSERT INTO scraping_tasks (kind, user_id, total) VALUES ('single', $1, 1) RETURNING id)
       INSERT INTO scraping_task_items (task_id, position, os_number) SELECT id, 0, $2 FROM task`,
      [user.id, BUSY],
    );

    const jobId = await t.app
      .get(MaintenanceScheduler)
      .tick('refresh-open-os', new Date('2026-11-28T10:03:00Z'));
    expect(jobId).toBe('refresh-open-os:2026-11-28T10:00Z');
    await expect
      .poll(
        async () =>
          (
            await t.db.query<{ status: string }>(
              'SELECT status FROM maintenance_runs WHERE job_id = $1',
              [jobId],
            )
          ).map((run) => run.status),
        { timeout: 60_000 },
      )
      .toEqual(['success']);
    const [run] = await t.db.query<{ result: { queued: number; os_numbers: string[] } }>(
      'SELECT result FROM maintenance_runs WHERE job_id = $1',
      [jobId],
    );
    expect(run!.result).toEqual({ queued: 1, os_numbers: [OPEN] });

    // The re-read is an ordinary request, owned by the admin, queued below user work.
    const [request] = await t.db.query<{ id: string; user_id: string; role: string }>(
      `SELECT r.id, r.user_id, u.role FROM scrape_requests r JOIN users u ON u.id = r.user_id
       WHERE r.os_number = $1`,
      [OPEN],
    );
    expect(request!.role).toBe('admin');
    const queue = t.app.get<Queue>(getQueueToken(QueueName.Scraping));
    const job = await queue.getJob(groupedJobId(request!.id, request!.user_id));
    expect(job?.opts.priority).toBe(10);

    await expect
      .poll(
        async () =>
          (
            await t.db.query<{ state: string }>('SELECT state FROM scrape_requests WHERE id = $1', [
              request!.id,
            ])
          )[0]?.state,
        { timeout: 90_000 },
      )
      .toBe('completed');
    const after = await stored();
    expect(after[OPEN]!.version).toBe(before[OPEN]!.version + 1);
    expect(after[OPEN]!.last_scraped_at.getTime()).toBeGreaterThan(
      before[OPEN]!.last_scraped_at.getTime(),
    );
    for (const osNumber of [FINAL.concluded, FINAL.cancelled]) {
      expect(after[osNumber]).toEqual(before[osNumber]);
    }

    // The next run finds nothing due: the open OS was just read.
    const next = await t.app
      .get(MaintenanceScheduler)
      .tick('refresh-open-os', new Date('2026-11-28T10:06:00Z'));
    await expect
      .poll(
        async () =>
          (
            await t.db.query<{ result: { queued: number } }>(
              'SELECT result FROM maintenance_runs WHERE job_id = $1',
              [next],
            )
          )[0]?.result,
        { timeout: 60_000 },
      )
      .toEqual({ queued: 0, os_numbers: [] });
  });
});
