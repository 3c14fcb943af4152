import { isDeepStrictEqual } from 'node:util';
import { answer, type ApiClient } from '../../src/cli/api-client.js';
import type { ResultsJson } from '../../src/cli/api-schema.js';

type ResultItem = ResultsJson['items'][number];
import type { BatchOutcome } from '../../src/cli/batch-runner.js';

export interface TruthCheck {
  /** OS whose outcome was compared with the truth (success and not found). */
  checked: number;
  /** One line per OS read wrong. */
  mismatches: string[];
  /** Accepted OS without a final outcome. */
  lost: string[];
}

const FINAL = new Set(['success', 'not_found', 'failed']);

/**
 * Compares what the service stored for every OS of every batch with the simulator's truth:
 * the data of a success must equal the truth record, a "not found" must not exist, and every
 * OS accepted must have ended with an outcome.
 */
export async function checkAgainstTruth(
  client: ApiClient,
  simulatorUrl: string,
  outcomes: BatchOutcome[],
): Promise<TruthCheck> {
  const check: TruthCheck = { checked: 0, mismatches: [], lost: [] };
  for (const { plan, accepted } of outcomes) {
    const results = answer(
      await client.api.GET('/api/desenvolvimento/scraping-batch/{task_id}/results', {
        params: { path: { task_id: accepted.task_id }, query: { format: 'json' } },
      }),
    );
    // The contract allows CSV too (`format=csv`); JSON was asked for.
    if (typeof results === 'string') throw new Error('the results came as CSV, not JSON');
    const byNumber = new Map(results.items.map((item) => [item.os_number, item]));
    const toCompare: ResultItem[] = [];
    for (const osNumber of plan.osNumbers) {
      const item = byNumber.get(osNumber);
      if (!item || !FINAL.has(item.outcome))
        check.lost.push(`${osNumber} (${item?.outcome ?? 'missing'})`);
      else if (item.outcome !== 'failed') toCompare.push(item);
    }
    await eachConcurrently(toCompare, 16, async (item) => {
      const mismatch = await compare(simulatorUrl, item);
      check.checked += 1;
      if (mismatch) check.mismatches.push(mismatch);
    });
  }
  return check;
}

async function compare(simulatorUrl: string, item: ResultItem): Promise<string | undefined> {
  const response = await fetch(`${simulatorUrl}/__truth/os/${encodeURIComponent(item.os_number)}`);
  if (response.status === 404) {
    return item.outcome === 'not_found'
      ? undefined
      : `OS ${item.os_number}: read as ${item.outcome} but it does not exist`;
  }
  if (!response.ok)
    throw new Error(`the simulator's truth of OS ${item.os_number}: HTTP ${response.status}`);
  const truth = (await response.json()) as Record<string, unknown>;
  if (item.outcome === 'not_found') return `OS ${item.os_number}: reported not found but it exists`;
  if (isDeepStrictEqual(item.data, truth)) return undefined;
  const data = item.data ?? {};
  const fields = [...new Set([...Object.keys(truth), ...Object.keys(data)])].filter(
    (key) => !isDeepStrictEqual(data[key], truth[key]),
  );
  return `OS ${item.os_number}: ${fields.length ? `fields ${fields.join(', ')} differ` : 'data differs'} from the truth`;
}

async function eachConcurrently<T>(
  items: T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}
