import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MaintenanceTasksService } from '../../src/admin/maintenance/maintenance-tasks.service.js';
import { HISTOGRAM_MAX_RELATIVE_ERROR } from '../../src/stats/duration-histogram.js';
import { UsageRollupService } from '../../src/stats/usage-rollup.service.js';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app.js';
import {
  insertUsage,
  local,
  localTime,
  percentileCont,
  type UsageRow,
} from '../support/usage-rows.js';

const round1 = (value: number) => Math.round(value * 10) / 10;
/** A percentile read from the duration histograms: within their bound (and the 0.1 ms rounding). */
const expectPercentile = (actual: number, exact: number, days: number) =>
  days <= 1
    ? expect(actual).toBe(round1(exact))
    : expect(Math.abs(actual - exact)).toBeLessThanOrEqual(
        HISTOGRAM_MAX_RELATIVE_ERROR * exact + 0.05,
      );
const pct = (part: number, whole: number) => (whole === 0 ? 0 : round1((part / whole) * 100));

describe('admin figures equal figures computed by hand', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  let ana: TestUser;
  let bruno: TestUser;
  let carla: TestUser;
  let rows: UsageRow[];

  beforeAll(async () => {
    t = await startTestApp({ env: { USAGE_RAW_RETENTION_DAYS: '31' } });
    admin = { Authorization: `Bearer ${await t.adminToken()}` };
    [ana, bruno, carla] = [await t.createUser(), await t.createUser(), await t.createUser()];
    const row = (
      user: TestUser,
      osNumber: string,
      outcome: UsageRow['outcome'],
      path: UsageRow['path'],
      durationMs: number,
      at: Date,
      attempts = 1,
    ): UsageRow => ({
      userId: user.id,
      osNumber,
      outcome,
      path,
      attempts,
      durationMs,
      at,
    });
    rows = [
      // Either side of last midnight (a day boundary), and this morning.
      row(ana, '100', 'success', 'http', 400, localTime(1, 23, 40)),
      row(ana, '100', 'success', 'http', 600, localTime(1, 23, 55)),
      row(ana, '101', 'failed', 'browser', 15_000, localTime(0, 0, 5), 4),
      row(ana, '102', 'not_found', 'http', 200, localTime(0, 0, 20)),
      row(bruno, '100', 'success', 'robust', 9_000, localTime(0, 0, 30), 2),
      row(bruno, '103', 'success', 'http', 300, localTime(0, 0, 45)),
      row(bruno, '104', 'success', 'http', 350, localTime(0, 0, 50)),
      // Carla ties with Bruno in the last 2 days (3 OS each).
      row(carla, '105', 'success', 'http', 500, localTime(1, 10, 0)),
      row(carla, '106', 'failed', 'http', 700, localTime(1, 11, 0), 3),
      row(carla, '107', 'success', 'browser', 2_500, localTime(0, 0, 10)),
      // Older: 20 and 40 days ago (the latter past the 31-day retention of this app).
      row(ana, '108', 'success', 'http', 1_000, localTime(20, 15, 0)),
      row(bruno, '100', 'success', 'http', 800, localTime(40, 9, 0)),
      row(carla, '109', 'not_found', 'http', 100, localTime(40, 9, 30)),
    ];
    await insertUsage(t.db, rows);
  });
  afterAll(() => t?.close());

  function expectedFor(days: number) {
    const today = local(new Date()).day;
    const first = local(localTime(days - 1, 12)).day;
    const inWindow = rows.filter((row) => local(row.at).day >= first && local(row.at).day <= today);
    const by = (outcome: string) => inWindow.filter((row) => row.outcome === outcome).length;
    return { inWindow, first, today, by };
  }

  it.each([1, 2, 30, 365])('dashboard over %i days', async (days) => {
    const { inWindow, first, today, by } = expectedFor(days);
    const response = await t
      .http()
      .get(`/api/admin/scraping/dashboard?days=${days}`)
      .set(admin)
      .expect(200);
    const data = response.body.dashboard_data;
    const total = inWindow.length;
    const durations = inWindow.map((row) => row.durationMs);
    expect(data.periodo).toEqual({
      days,
      inicio: first,
      fim: today,
      timezone: 'America/Sao_Paulo',
    });
    expect(data.estatisticas_gerais).toEqual({
      total,
      sucessos: by('success'),
      falhas: by('failed'),
      nao_encontradas: by('not_found'),
      success_rate: pct(by('success'), total),
      error_rate: pct(by('failed'), total),
      avg_processing_time: Math.round(durations.reduce((a, b) => a + b, 0) / total) / 1000,
      retries: inWindow.reduce((sum, row) => sum + row.attempts - 1, 0),
      usuarios_ativos: new Set(inWindow.map((row) => row.userId)).size,
    });
    // Per day: every day of the window, zeros included, on local dates.
    expect(data.uso_por_dia).toHaveLength(days);
    for (const entry of data.uso_por_dia as Array<{
      data: string;
      total: number;
      sucessos: number;
      falhas: number;
    }>) {
      const ofDay = inWindow.filter((row) => local(row.at).day === entry.data);
      expect(entry).toEqual({
        data: entry.data,
        total: ofDay.length,
        sucessos: ofDay.filter((row) => row.outcome === 'success').length,
        falhas: ofDay.filter((row) => row.outcome === 'failed').length,
        nao_encontradas: ofDay.filter((row) => row.outcome === 'not_found').length,
      });
    }
    // Per hour of the day, from raw rows (none rolled up yet: that comes in a later test).
    const raw = inWindow;
    expect(data.uso_por_hora).toHaveLength(24);
    for (const entry of data.uso_por_hora as Array<{ hora: number; total: number }>) {
      expect(entry.total).toBe(raw.filter((row) => local(row.at).hour === entry.hora).length);
    }
    // Performance from raw rows.
    const rawDurations = raw.map((row) => row.durationMs);
    expect(data.performance.total).toBe(raw.length);
    // Exact for a one-day window, else from the histograms.
    expectPercentile(data.performance.p50_ms, percentileCont(rawDurations, 0.5), days);
    expectPercentile(data.performance.p95_ms, percentileCont(rawDurations, 0.95), days);
    expect(data.performance.caminhos.http).toEqual({
      total: raw.filter((row) => row.path === 'http').length,
      percentual: pct(raw.filter((row) => row.path === 'http').length, raw.length),
    });
    // Top OS: most queried first, ties by number.
    const counts = new Map<string, number>();
    for (const row of raw) counts.set(row.osNumber, (counts.get(row.osNumber) ?? 0) + 1);
    const top = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 10);
    expect(
      data.top_os.map((os: { os_number: string; consultas: number }) => [
        os.os_number,
        os.consultas,
      ]),
    ).toEqual(top);
    expect(data.filas.queues.scraping).toMatchObject({ waiting: 0, active: 0 });
    expect(data.alertas).toEqual([]);
  });

  it('ranks users by OS scraped with batches, success rate, average time and last activity; ties in a stable order', async () => {
    const response = await t
      .http()
      .get('/api/admin/scraping/users-ranking?days=2&limit=10')
      .set(admin)
      .expect(200);
    const { inWindow } = expectedFor(2);
    const expected = [ana, bruno, carla]
      .map((user) => {
        const own = inWindow.filter((row) => row.userId === user.id);
        return {
          user,
          total: own.length,
          success_rate: pct(own.filter((row) => row.outcome === 'success').length, own.length),
          avg: Math.round(own.reduce((sum, row) => sum + row.durationMs, 0) / own.length) / 1000,
          last: new Date(Math.max(...own.map((row) => row.at.getTime()))).toISOString(),
        };
      })
      .sort((a, b) => b.total - a.total || (a.user.id < b.user.id ? -1 : 1));
    expect(response.body.ranking).toEqual(
      expected.map((entry, index) =>
        expect.objectContaining({
          posicao: index + 1,
          user_id: entry.user.id,
          username: entry.user.username,
          os_scraped: entry.total,
          batches: 0,
          success_rate: entry.success_rate,
          avg_processing_time: entry.avg,
          last_activity: entry.last,
        }),
      ),
    );
    const limited = await t
      .http()
      .get('/api/admin/scraping/users-ranking?days=2&limit=1')
      .set(admin)
      .expect(200);
    expect(limited.body.ranking).toHaveLength(1);
  });

  it('gives performance per hour and per day bucket: count, success rate, avg/p50/p95, path shares, retries', async () => {
    const response = await t
      .http()
      .get('/api/admin/scraping/performance-metrics?days=2&granularity=hour')
      .set(admin)
      .expect(200);
    const { inWindow } = expectedFor(2);
    const buckets = new Map<string, UsageRow[]>();
    for (const row of inWindow) {
      const { day, hour } = local(row.at);
      const key = `${day}T${String(hour).padStart(2, '0')}:00:00`;
      buckets.set(key, [...(buckets.get(key) ?? []), row]);
    }
    expect(response.body.buckets.map((bucket: { inicio: string }) => bucket.inicio)).toEqual(
      [...buckets.keys()].sort(),
    );
    for (const bucket of response.body.buckets as Array<Record<string, unknown>>) {
      const own = buckets.get(bucket.inicio as string)!;
      const durations = own.map((row) => row.durationMs);
      expectPercentile(bucket.p50_ms as number, percentileCont(durations, 0.5), 2);
      expectPercentile(bucket.p95_ms as number, percentileCont(durations, 0.95), 2);
      expect(bucket).toEqual({
        inicio: bucket.inicio,
        count: own.length,
        success_rate: pct(own.filter((row) => row.outcome === 'success').length, own.length),
        avg_ms: round1(durations.reduce((a, b) => a + b, 0) / own.length),
        p50_ms: bucket.p50_ms,
        p95_ms: bucket.p95_ms,
        caminhos: {
          http: pct(own.filter((row) => row.path === 'http').length, own.length),
          browser: pct(own.filter((row) => row.path === 'browser').length, own.length),
          robust: pct(own.filter((row) => row.path === 'robust').length, own.length),
        },
        retries: own.reduce((sum, row) => sum + row.attempts - 1, 0),
      });
    }
    const daily = await t
      .http()
      .get('/api/admin/scraping/performance-metrics?days=2&granularity=day')
      .set(admin)
      .expect(200);
    expect(daily.body.buckets).toHaveLength(2);
  });

  it.each([
    ['days=0', 'days must not be less than 1'],
    ['days=366', 'days must not be greater than 365'],
    ['days=abc', 'days must be an integer number'],
    ['days=1.5', 'days must be an integer number'],
  ])('refuses %s with 400', async (query, message) => {
    const response = await t.http().get(`/api/admin/scraping/dashboard?${query}`).set(admin);
    expect(response.status).toBe(400);
    expect(response.body.message).toBe(message);
    await t
      .http()
      .get('/api/admin/scraping/performance-metrics?granularity=minute')
      .set(admin)
      .expect(400);
  });

  it('keeps every count, series and ranking unchanged when old rows are rolled up and purged', async () => {
    const before = (
      await t.http().get('/api/admin/scraping/dashboard?days=60').set(admin).expect(200)
    ).body.dashboard_data;
    const rankingBefore = (
      await t.http().get('/api/admin/scraping/users-ranking?days=60').set(admin).expect(200)
    ).body;
    const recent = (
      await t.http().get('/api/admin/scraping/dashboard?days=30').set(admin).expect(200)
    ).body.dashboard_data;

    const report = await t.app.get(UsageRollupService).rollUp();
    expect(report.raw_rows_deleted).toBe(2);
    expect(report.daily_groups).toBeGreaterThanOrEqual(5);

    const after = (
      await t.http().get('/api/admin/scraping/dashboard?days=60').set(admin).expect(200)
    ).body.dashboard_data;
    const rankingAfter = (
      await t.http().get('/api/admin/scraping/users-ranking?days=60').set(admin).expect(200)
    ).body;
    const recentAfter = (
      await t.http().get('/api/admin/scraping/dashboard?days=30').set(admin).expect(200)
    ).body.dashboard_data;
    expect(after.estatisticas_gerais).toEqual(before.estatisticas_gerais);
    expect(after.uso_por_dia).toEqual(before.uso_por_dia);
    expect(after.usuarios_mais_ativos).toEqual(before.usuarios_mais_ativos);
    expect(rankingAfter.ranking).toEqual(rankingBefore.ranking);
    expect(after.uso_por_hora).toEqual(before.uso_por_hora);
    // Within the raw retention nothing changes at all.
    const { gerado_em: _a, filas: _b, ...recentSame } = recentAfter;
    const { gerado_em: _c, filas: _d, ...recentBefore } = recent;
    expect(recentSame).toEqual(recentBefore);
    // A second run finds nothing more to do.
    expect(await t.app.get(UsageRollupService).rollUp()).toMatchObject({ raw_rows_deleted: 0 });
  });

  it("answers a user's own statistics with quotas", async () => {
    const response = await t
      .http()
      .get('/api/desenvolvimento/scraping-statistics')
      .set('Authorization', `Bearer ${ana.token}`)
      .expect(200);
    const own = rows.filter((row) => row.userId === ana.id && row.at >= localTime(29, 0));
    expect(response.body.user).toEqual({ id: ana.id, username: ana.username });
    expect(response.body.totals).toMatchObject({
      total: own.length,
      success: own.filter((row) => row.outcome === 'success').length,
      failed: own.filter((row) => row.outcome === 'failed').length,
      not_found: own.filter((row) => row.outcome === 'not_found').length,
    });
    expect(response.body.per_day).toHaveLength(30);
    expect(response.body.quotas.os_per_hour).toEqual({
      limit: 10,
      used: 0,
      remaining: 10,
      resets_in_seconds: 0,
    });
    expect(response.body.quotas.backlog).toEqual({
      os_waiting: 0,
      os_cap: 50,
      batches_waiting: 0,
      batches_cap: 10,
    });
  });
});

describe('figures read from raw rows are reused, then refreshed by maintenance', () => {
  let t: TestApp;

  beforeAll(async () => {
    // The scheduler's refresh-figures (every minute) would refresh the cache when the test does
    // not expect it (seen on a loaded machine: before the first row, caching an empty p95).
    t = await startTestApp({ env: { STATS_CACHE_SECONDS: '600' }, crons: false });
  });
  afterAll(() => t?.close());

  it('keeps counts current and times cached until refresh-figures runs', async () => {
    const admin = { Authorization: `Bearer ${await t.adminToken()}` };
    const user = await t.createUser();
    const at = new Date(Date.now() - 60_000);
    const row = (durationMs: number): UsageRow => ({
      userId: user.id,
      osNumber: '1',
      outcome: 'success',
      path: 'http',
      attempts: 1,
      durationMs,
      at,
    });
    await insertUsage(t.db, [row(100)]);
    const first = (
      await t.http().get('/api/admin/scraping/dashboard?days=30').set(admin).expect(200)
    ).body.dashboard_data;
    expectPercentile(first.performance.p95_ms, 100, 30);

    await insertUsage(t.db, [row(900)]);
    const second = (
      await t.http().get('/api/admin/scraping/dashboard?days=30').set(admin).expect(200)
    ).body.dashboard_data;
    expect(second.estatisticas_gerais.total).toBe(2);
    expect(second.performance.p95_ms).toBe(first.performance.p95_ms);

    await t.app.get(MaintenanceTasksService).execute('refresh-figures');
    const third = (
      await t.http().get('/api/admin/scraping/dashboard?days=30').set(admin).expect(200)
    ).body.dashboard_data;
    expectPercentile(third.performance.p95_ms, percentileCont([100, 900], 0.95), 30);
    expect(third.performance.total).toBe(2);
  });
});
