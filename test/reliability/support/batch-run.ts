import { isDeepStrictEqual } from 'node:util';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { expect } from 'vitest';
import { QueueName } from '../../../src/queues/queue-names.js';
import { expectBatchInvariants } from '../../support/invariants.js';
import { mapConcurrently, truthOf, type RunningSimulator } from '../../support/simulator.js';
import type { TestApp } from '../../support/test-app.js';

/** `count` consecutive OS numbers from `from`. */
export const numbers = (from: number, count: number): string[] =>
  Array.from({ length: count }, (_, i) => String(from + i));

/** Settings every fault run shares: no hourly throttles in the way, quick stalled-job takeover. */
export const RUN_SETTINGS: Record<string, string> = {
  RATE_LIMIT_BATCHES_PER_HOUR: '100000',
  RATE_LIMIT_OS_PER_HOUR: '100000',
  BATCH_BACKLOG_CAP: '1000',
  TARGET_MAX_RPS: '0',
  QUEUE_LOCK_DURATION_MS: '4000',
  SCRAPER_RETRY_BASE_MS: '100',
};

/** Submits batches as a user would and returns their task ids. */
export async function submitBatches(
  api: TestApp,
  token: string,
  batches: string[][],
): Promise<string[]> {
  const ids: string[] = [];
  for (const [index, osNumbers] of batches.entries()) {
    const response = await api
      .http()
      .post('/api/desenvolvimento/scraping-batch')
      .set('Authorization', `Bearer ${token}`)
      .send({ os_numbers: osNumbers, batch_name: `reliability-${index}` });
    if (response.status !== 202)
      throw new Error(`batch ${index}: ${response.status} ${response.text}`);
    ids.push(response.body.task_id as string);
  }
  return ids;
}

/** OS of the batches with a final outcome committed. */
export async function processedCount(api: TestApp, ids: string[]): Promise<number> {
  const [row] = await api.db.query<{ processed: string }>(
    'SELECT coalesce(sum(processed), 0) AS processed FROM scraping_batch_stats WHERE id = ANY($1)',
    [ids],
  );
  return Number(row!.processed);
}

/** Waits until `processed` reaches `atLeast` (polling PostgreSQL, the source of truth). */
export async function waitForProcessed(
  api: TestApp,
  ids: string[],
  atLeast: number,
  timeoutMs = 120_000,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const processed = await processedCount(api, ids);
    if (processed >= atLeast) return processed;
    if (Date.now() > deadline)
      throw new Error(`only ${processed} OS processed, waited for ${atLeast}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until every batch has finished, calling `tick` (e.g. a recovery pass) on each poll. */
export async function waitForBatches(
  api: TestApp,
  ids: string[],
  timeoutMs: number,
  tick?: () => Promise<void>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await api.db.query<{ id: string; state: string; processed: number }>(
      'SELECT id, state, processed FROM scraping_batch_stats WHERE id = ANY($1) AND finished_at IS NULL',
      [ids],
    );
    if (open.length === 0) return;
    if (Date.now() > deadline)
      throw new Error(`batches still open after ${timeoutMs} ms: ${JSON.stringify(open)}`);
    await tick?.();
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export interface RunAccount {
  batches: number;
  accepted: number;
  accounted: number;
  success: number;
  not_found: number;
  failed: number;
  cancelled: number;
  duplicates: number;
  wrong_data: string[];
}

/**
 * The check that ends every fault run: every accepted OS has exactly one final outcome (and one
 * usage row), batch counts add up, `scraped_orders` has no duplicates and holds what the target
 * truly says, and no batch job is left waiting, active or delayed in Redis.
 */
export async function expectRunInvariants(
  api: TestApp,
  sim: RunningSimulator,
  ids: string[],
): Promise<RunAccount> {
  const [totals] = await api.db.query<{ accepted: string; batches: string }>(
    'SELECT coalesce(sum(total), 0) AS accepted, count(*) AS batches FROM scraping_batch_stats WHERE id = ANY($1)',
    [ids],
  );
  const items = await api.db.query<{ os_number: string; status: string }>(
    'SELECT os_number, status FROM scraping_batch_items WHERE batch_id = ANY($1)',
    [ids],
  );
  const byStatus = (status: string) => items.filter((item) => item.status === status).length;
  const [dup] = await api.db.query<{ n: string }>(
    'SELECT count(*) AS n FROM (SELECT os_number FROM scraped_orders GROUP BY os_number HAVING count(*) > 1) d',
  );
  const wrong: string[] = [];
  const distinct = [...new Map(items.map((item) => [item.os_number, item])).values()];
  await mapConcurrently(distinct, 8, async (item) => {
    if (item.status === 'failed' || item.status === 'cancelled') return;
    const truth = await truthOf(sim, item.os_number);
    const expected = truth ? 'success' : 'not_found';
    if (item.status !== expected) {
      wrong.push(`${item.os_number}: ${item.status}, expected ${expected}`);
      return;
    }
    const rows = await api.db.query<{ data: unknown }>(
      'SELECT data FROM scraped_orders WHERE os_number = $1',
      [item.os_number],
    );
    if (truth && (rows.length !== 1 || !isDeepStrictEqual(rows[0]!.data, truth)))
      wrong.push(`${item.os_number}: stored data differs from the truth`);
  });
  const account: RunAccount = {
    batches: Number(totals!.batches),
    accepted: Number(totals!.accepted),
    accounted:
      byStatus('success') + byStatus('not_found') + byStatus('failed') + byStatus('cancelled'),
    success: byStatus('success'),
    not_found: byStatus('not_found'),
    failed: byStatus('failed'),
    cancelled: byStatus('cancelled'),
    duplicates: Number(dup!.n),
    wrong_data: wrong,
  };

  expect(account.batches).toBe(ids.length);
  expect(account.accounted).toBe(account.accepted);
  expect(items.length).toBe(account.accepted);
  expect(account.duplicates).toBe(0);
  expect(wrong).toEqual([]);
  await expectBatchInvariants(api.db, ids);
  // No job stuck: once PostgreSQL says every batch is finished, Redis holds none of them as work.
  const queue = api.app.get<Queue>(getQueueToken(QueueName.Batch));
  await expect
    .poll(
      async () => {
        const counts = await queue.getJobCounts();
        return { active: counts.active, waiting: counts.waiting, delayed: counts.delayed };
      },
      { timeout: 30_000, interval: 250 },
    )
    .toEqual({ active: 0, waiting: 0, delayed: 0 });
  return account;
}
