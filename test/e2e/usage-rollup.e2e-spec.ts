import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketSql, HISTOGRAM_MAX_RELATIVE_ERROR } from '../../src/stats/duration-histogram.js';
import { UsageRollupService } from '../../src/stats/usage-rollup.service.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const TZ = 'America/Sao_Paulo';
const ROWS = 6_000;

/** Within the histograms' bound of the exact value, allowing for the API's 0.1 ms rounding. */
function expectNear(actual: number, exact: number, what: string): void {
  expect(Math.abs(actual - exact), `${what}: ${actual} vs exact ${exact}`).toBeLessThanOrEqual(
    HISTOGRAM_MAX_RELATIVE_ERROR * exact + 0.05,
  );
}

describe('usage roll-ups: histogram percentiles and crash-safe watermarks', () => {
  let t: TestApp;
  let admin: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp({ env: { STATS_CACHE_SECONDS: '0' } });
    admin = { Authorization: `Bearer ${await t.adminToken()}` };
    const users = [await t.createUser(), await t.createUser(), await t.createUser()];
    // Random use over the last 12 days, the last hour (not rolled up) included: skewed
    // durations from 0 ms to minutes, a small set of OS numbers so the top OS has repeats.
    await t.db.query('SELECT setseed(0.17)');
    await t.db.query(
      `INSERT INTO scraping_usage_stats (user_id, os_number, outcome, path, attempts, duration_ms, created_at)
       SELECT ($2::uuid[])[1 + floor(random() * 3)::int],
              (100 + floor(random() * random() * 300)::int)::text,
              CASE WHEN r.o < 0.9 THEN 'success' WHEN r.o < 0.95 THEN 'not_found' ELSE 'failed' END,
              CASE WHEN r.p < 0.85 THEN 'http' WHEN r.p < 0.97 THEN 'browser' ELSE 'robust' END,
              1 + floor(random() * random() * 3)::int,
              CASE WHEN r.d < 0.01 THEN 0
                   WHEN r.p < 0.85 THEN 20 + floor(random() * random() * 1500)::int
                   WHEN r.p < 0.97 THEN 1500 + floor(random() * 5000)::int
                   ELSE 7000 + floor(random() * random() * 200000)::int END,
              now() - random() * interval '12 days'
         FROM generate_series(1, $1) AS g, LATERAL (SELECT random() AS o, random() AS p, random() AS d, g) AS r`,
      [ROWS, users.map((user) => user.id)],
    );
  });
  afterAll(() => t?.close());

  const get = async (path: string) => (await t.http().get(path).set(admin).expect(200)).body;

  const marks = async () =>
    Object.fromEntries(
      (
        await t.db.query<{ key: string; value: string }>(
          'SELECT key, value FROM usage_rollup_state',
        )
      ).map((row) => [row.key, row.value]),
    );

  /** What the roll-up tables hold, beside the same figures computed from raw rows before `until`. */
  async function compareWithRaw(until: string): Promise<void> {
    const pairs: Array<[string, string]> = [
      [
        `SELECT hour, outcome, path, requests::int, duration_ms_sum::bigint, attempts_sum::bigint FROM scraping_usage_hourly`,
        `SELECT date_trunc('hour', created_at) AS hour, outcome, coalesce(path, '') AS path, count(*)::int AS requests,
                sum(duration_ms)::bigint AS duration_ms_sum, sum(attempts)::bigint AS attempts_sum
           FROM scraping_usage_stats WHERE created_at < $1 GROUP BY 1, 2, 3`,
      ],
      [
        `SELECT hour, outcome, path, bucket, requests FROM scraping_usage_hourly_durations`,
        `SELECT date_trunc('hour', created_at) AS hour, outcome, coalesce(path, '') AS path,
                ${bucketSql('duration_ms')} AS bucket, count(*)::int AS requests
           FROM scraping_usage_stats WHERE created_at < $1 GROUP BY 1, 2, 3, 4`,
      ],
      [
        `SELECT to_char(day, 'YYYY-MM-DD') AS day, user_id, outcome, path, requests, duration_ms_sum::bigint, attempts_sum::bigint, last_at FROM scraping_usage_daily`,
        `SELECT to_char((created_at AT TIME ZONE '${TZ}')::date, 'YYYY-MM-DD') AS day, user_id, outcome, coalesce(path, '') AS path,
                count(*)::int AS requests, sum(duration_ms)::bigint AS duration_ms_sum, sum(attempts)::bigint AS attempts_sum, max(created_at) AS last_at
           FROM scraping_usage_stats WHERE created_at < $1 GROUP BY 1, 2, 3, 4`,
      ],
      [
        `SELECT to_char(day, 'YYYY-MM-DD') AS day, os_number, requests, last_at FROM scraping_usage_os_daily`,
        `SELECT to_char((created_at AT TIME ZONE '${TZ}')::date, 'YYYY-MM-DD') AS day, os_number, count(*)::int AS requests, max(created_at) AS last_at
           FROM scraping_usage_stats WHERE created_at < $1 GROUP BY 1, 2`,
      ],
      [
        `SELECT to_char(day, 'YYYY-MM-DD') AS day, outcome, path, bucket, requests FROM scraping_usage_daily_durations`,
        `SELECT to_char((created_at AT TIME ZONE '${TZ}')::date, 'YYYY-MM-DD') AS day, outcome, coalesce(path, '') AS path,
                ${bucketSql('duration_ms')} AS bucket, count(*)::int AS requests
           FROM scraping_usage_stats WHERE created_at < $1 GROUP BY 1, 2, 3, 4`,
      ],
    ];
    // Per-OS totals of the last 30 local days, from the first day the roll-up holds.
    const [{ value: first }] = await t.db.query<{ value: string }>(
      `SELECT value FROM usage_rollup_state WHERE key = 'os_window_from:30'`,
    );
    pairs.push([
      `SELECT os_number, requests, last_at FROM scraping_usage_os_window WHERE days = 30`,
      `SELECT os_number, count(*)::int AS requests, max(created_at) AS last_at FROM scraping_usage_stats
        WHERE created_at < $1 AND created_at >= '${first}'::date::timestamp AT TIME ZONE '${TZ}' GROUP BY 1`,
    ]);
    pairs.push([
      `SELECT user_id, outcome, requests, duration_ms_sum::bigint, attempts_sum::bigint, last_at
         FROM scraping_usage_user_window WHERE days = 30`,
      `SELECT user_id, outcome, count(*)::int AS requests, sum(duration_ms)::bigint AS duration_ms_sum,
              sum(attempts)::bigint AS attempts_sum, max(created_at) AS last_at FROM scraping_usage_stats
        WHERE created_at < $1 AND created_at >= '${first}'::date::timestamp AT TIME ZONE '${TZ}' GROUP BY 1, 2`,
    ]);
    const [{ value: userFirst }] = await t.db.query<{ value: string }>(
      `SELECT value FROM usage_rollup_state WHERE key = 'user_window_from:30'`,
    );
    expect(userFirst).toBe(first);
    const sorted = (rows: unknown[]) => rows.map((row) => JSON.stringify(row)).sort();
    for (const [rolled, raw] of pairs) {
      const [a, b] = [await t.db.query(rolled), await t.db.query(raw, [until])];
      expect(b.length).toBeGreaterThan(0);
      expect(sorted(a), rolled).toEqual(sorted(b));
    }
  }

  it('leaves nothing behind when a roll-up dies half-way, and the next one rolls everything up once', async () => {
    const before = await get('/api/admin/scraping/dashboard?days=30');
    const rankingBefore = await get('/api/admin/scraping/users-ranking?days=30');
    // Hold the per-OS table so the roll-up stops after its hourly and per-user steps, then kill
    // its connection while it waits there.
    const blocker = new pg.Client({ connectionString: t.db.url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE scraping_usage_os_daily IN ACCESS EXCLUSIVE MODE');
      const rollUp = t.app.get(UsageRollupService).rollUp();
      rollUp.catch(() => undefined);
      let pid: number | undefined;
      for (let i = 0; i < 600 && pid === undefined; i += 1) {
        const [waiting] = await t.db.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%scraping_usage_os_daily%'`,
        );
        pid = waiting?.pid;
        if (pid === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(pid, 'the roll-up reached the per-OS step').toBeDefined();
      // It got that far: its hourly rows are written, uncommitted.
      await t.db.query('SELECT pg_terminate_backend($1)', [pid]);
      await expect(rollUp).rejects.toThrow();
    } finally {
      await blocker.query('ROLLBACK').catch(() => undefined);
      await blocker.end();
    }
    expect(await marks()).toEqual({});
    const [{ n }] = await t.db.query<{ n: string }>(
      `SELECT (SELECT count(*) FROM scraping_usage_hourly) + (SELECT count(*) FROM scraping_usage_hourly_durations)
            + (SELECT count(*) FROM scraping_usage_daily) AS n`,
    );
    expect(Number(n)).toBe(0);

    // Part of the history first, ending mid-day: the next run adds hours to that day's rows.
    const service = t.app.get(UsageRollupService);
    const partial = await service.rollUp(new Date(Date.now() - 30 * 3_600_000));
    expect(partial.hourly_groups).toBeGreaterThan(0);
    await compareWithRaw(partial.hourly_until);
    // Then up to two hours ago: the same local day as the next run, most hours of the day.
    const closer = await service.rollUp(new Date(Date.now() - 2 * 3_600_000));
    await compareWithRaw(closer.hourly_until);
    // Two at once (as two workers' maintenance could): one rolls up, the other finds nothing new.
    const reports = await Promise.all([service.rollUp(), service.rollUp()]);
    expect(reports.filter((report) => report.hourly_groups > 0)).toHaveLength(1);
    expect(reports[0]!.hourly_until).toBe(reports[1]!.hourly_until);
    const { hourly_until: until } = await marks();
    expect(until).toBe(reports[0]!.hourly_until);
    await compareWithRaw(until!);
    // Once more: nothing changes.
    const again = await service.rollUp();
    expect(again).toMatchObject({
      hourly_groups: 0,
      daily_groups: 0,
      os_daily_groups: 0,
      histogram_groups: 0,
    });
    await compareWithRaw(until!);

    // The figures read roll-ups and the raw tail: the same counts, rankings and top OS as before.
    const after = await get('/api/admin/scraping/dashboard?days=30');
    const rankingAfter = await get('/api/admin/scraping/users-ranking?days=30');
    for (const key of [
      'estatisticas_gerais',
      'uso_por_dia',
      'uso_por_hora',
      'usuarios_mais_ativos',
      'top_os',
      'performance',
    ])
      expect(after.dashboard_data[key], key).toEqual(before.dashboard_data[key]);
    expect(rankingAfter.ranking).toEqual(rankingBefore.ranking);
    const top = await t.db.query<{ os_number: string; consultas: number; ultima_consulta: Date }>(
      `SELECT os_number, count(*)::int AS consultas, max(created_at) AS ultima_consulta FROM scraping_usage_stats
        WHERE created_at >= (date_trunc('day', now() AT TIME ZONE $1) - interval '29 days') AT TIME ZONE $1
        GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10`,
      [TZ],
    );
    expect(after.dashboard_data.top_os).toEqual(
      top.map((row) => ({ ...row, ultima_consulta: row.ultima_consulta.toISOString() })),
    );
    const [raw] = await t.db.query<{ total: string }>(
      'SELECT count(*) AS total FROM scraping_usage_stats',
    );
    expect(after.dashboard_data.estatisticas_gerais.total).toBe(Number(raw!.total));
  });

  it('gives percentiles within the documented bound of percentile_cont, over the window and per day and hour', async () => {
    const window = await get('/api/admin/scraping/dashboard?days=12');
    const [exact] = await t.db.query<{ pct: number[]; n: string }>(
      `SELECT count(*) AS n, percentile_cont(ARRAY[0.5, 0.95]) WITHIN GROUP (ORDER BY duration_ms) AS pct
         FROM scraping_usage_stats
        WHERE created_at >= (date_trunc('day', now() AT TIME ZONE $1) - interval '11 days') AT TIME ZONE $1`,
      [TZ],
    );
    const performance = window.dashboard_data.performance;
    expect(performance.total).toBe(Number(exact!.n));
    expectNear(performance.p50_ms, exact!.pct[0]!, 'p50 over 12 days');
    expectNear(performance.p95_ms, exact!.pct[1]!, 'p95 over 12 days');

    for (const [days, granularity] of [
      [12, 'day'],
      [3, 'hour'],
    ] as const) {
      const metrics = await get(
        `/api/admin/scraping/performance-metrics?days=${days}&granularity=${granularity}`,
      );
      const rows = await t.db.query<{ bucket: string; n: string; pct: number[] }>(
        `SELECT to_char(date_trunc($2, created_at AT TIME ZONE $1), 'YYYY-MM-DD"T"HH24:MI:SS') AS bucket, count(*) AS n,
                percentile_cont(ARRAY[0.5, 0.95]) WITHIN GROUP (ORDER BY duration_ms) AS pct
           FROM scraping_usage_stats
          WHERE created_at >= (date_trunc('day', now() AT TIME ZONE $1) - ($3::int - 1) * interval '1 day') AT TIME ZONE $1
          GROUP BY 1 ORDER BY 1`,
        [TZ, granularity, days],
      );
      expect(metrics.buckets.map((bucket: { inicio: string }) => bucket.inicio)).toEqual(
        rows.map((row) => row.bucket),
      );
      rows.forEach((row, i) => {
        const bucket = metrics.buckets[i];
        expect(bucket.count).toBe(Number(row.n));
        expectNear(bucket.p50_ms, row.pct[0]!, `p50 of ${row.bucket}`);
        expectNear(bucket.p95_ms, row.pct[1]!, `p95 of ${row.bucket}`);
      });
    }

    // A one-day window is exact.
    const today = await get('/api/admin/scraping/performance-metrics?days=1&granularity=hour');
    const [exactToday] = await t.db.query<{ pct: number[] }>(
      `SELECT percentile_cont(ARRAY[0.5, 0.95]) WITHIN GROUP (ORDER BY duration_ms) AS pct
         FROM scraping_usage_stats WHERE created_at >= date_trunc('day', now() AT TIME ZONE $1) AT TIME ZONE $1`,
      [TZ],
    );
    expect(today.resumo.p95_ms).toBe(Math.round((exactToday!.pct?.[1] ?? 0) * 10) / 10);
  });
});
