import { expect } from 'vitest';
import type { TestDatabase } from './test-database.js';

/**
 * What must hold after any run, crash or fault: every accepted OS of the batches has exactly one
 * final outcome and one usage row, no stored OS is duplicated, and each batch's counters add up.
 */
export async function expectBatchInvariants(db: TestDatabase, batchIds: string[]): Promise<void> {
  const unfinished = await db.query(
    "SELECT batch_id, os_number, status FROM scraping_batch_items WHERE batch_id = ANY($1) AND status IN ('pending', 'running')",
    [batchIds],
  );
  expect(unfinished).toEqual([]);
  const usageMismatch = await db.query(
    `SELECT i.batch_id, i.os_number, i.status, count(u.id) AS usage_rows
       FROM scraping_batch_items i
       LEFT JOIN scraping_usage_stats u ON u.batch_id = i.batch_id AND u.os_number = i.os_number
      WHERE i.batch_id = ANY($1)
      GROUP BY i.batch_id, i.os_number, i.status
     HAVING count(u.id) <> CASE WHEN i.status = 'cancelled' THEN 0 ELSE 1 END
         OR bool_or(u.outcome IS DISTINCT FROM i.status AND i.status <> 'cancelled')`,
    [batchIds],
  );
  expect(usageMismatch).toEqual([]);
  const duplicates = await db.query(
    'SELECT os_number FROM scraped_orders GROUP BY os_number HAVING count(*) > 1',
  );
  expect(duplicates).toEqual([]);
  const badCounts = await db.query(
    `SELECT b.id FROM scraping_batch_stats b
      WHERE b.id = ANY($1) AND (
        b.processed <> b.succeeded + b.failed + b.not_found
        OR b.processed + b.cancelled <> b.total
        OR b.processed <> (SELECT count(*) FROM scraping_batch_items i WHERE i.batch_id = b.id AND i.status IN ('success', 'failed', 'not_found'))
        OR b.succeeded <> (SELECT count(*) FROM scraping_batch_items i WHERE i.batch_id = b.id AND i.status = 'success')
        OR b.finished_at IS NULL)`,
    [batchIds],
  );
  expect(badCounts).toEqual([]);
}
