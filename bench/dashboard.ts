/**
 * The admin figures under a realistic history: 1 and 10 million usage rows over 90 days for 200
 * users, rolled up as maintenance does, then p50/p95 of the dashboard (30 days), the users ranking
 * and the performance metrics through the real HTTP API of the built service: cold first
 * (STATS_CACHE_SECONDS=0: every figure computed on each request, right after the bulk load), then
 * warm (as deployed: a service that has been answering, raw-row figures reused for 90 s).
 *
 *   npm run build && npx tsx bench/dashboard.ts [--rows 1000000,10000000] [--runs 40] [--keep]
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import {
  BENCH_DATABASE_SERVER,
  deleteBenchKeys,
  dropBenchDatabase,
  intOption,
  loadBuilt,
  parseFlags,
  printTable,
  writeResults,
} from './lib/index.js';

const SERVER = BENCH_DATABASE_SERVER;
const DATABASE = 'ros_bench_dashboard';
const flags = parseFlags();
const SCALES = String(flags.get('rows') ?? process.env.BENCH_ROWS ?? '1000000,10000000')
  .split(',')
  .map((value) => {
    const rows = Number(value.trim());
    if (!Number.isInteger(rows) || rows < 1)
      throw new Error('--rows takes whole numbers ≥ 1, comma-separated');
    return rows;
  });
const RUNS = intOption(flags, 'runs', 'BENCH_RUNS', 40, 1);
const USERS = 200;
const KEEP = flags.has('keep');

const ENDPOINTS = [
  { name: 'dashboard (30 days)', path: '/api/admin/scraping/dashboard?days=30' },
  { name: 'users-ranking (30 days)', path: '/api/admin/scraping/users-ranking?days=30&limit=20' },
  {
    name: 'performance-metrics (30 days, by day)',
    path: '/api/admin/scraping/performance-metrics?days=30&granularity=day',
  },
  {
    name: 'performance-metrics (2 days, by hour)',
    path: '/api/admin/scraping/performance-metrics?days=2&granularity=hour',
  },
];

async function seed(url: string, rows: number): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const started = performance.now();
  try {
    // Fast bulk load: indexes built once afterwards, foreign-key triggers skipped (the users exist).
    const indexes = (
      await client.query<{ name: string; definition: string }>(
        `SELECT indexname AS name, indexdef AS definition FROM pg_indexes
          WHERE tablename = 'scraping_usage_stats' AND indexname NOT LIKE '%pkey'`,
      )
    ).rows;
    for (const index of indexes)
      await client.query(`DROP INDEX ${pg.escapeIdentifier(index.name)}`);
    await client.query("SET session_replication_role = 'replica'");
    await client.query("SET maintenance_work_mem = '512MB'");
    await client.query('SELECT setseed(0.42)');
    await client.query(
      `INSERT INTO users (username, password_hash, role)
       SELECT 'bench_user_' || g, 'not-a-hash', 'user' FROM generate_series(1, $1) AS g`,
      [USERS],
    );
    // Durations: mostly the fast path (~0.1–0.6 s), some browser (~2–4 s), a few robust (~8 s).
    await client.query(
      `WITH ids AS (SELECT array_agg(id ORDER BY username) AS ids FROM users WHERE username LIKE 'bench_user_%')
       INSERT INTO scraping_usage_stats (user_id, os_number, outcome, path, attempts, duration_ms, created_at)
       SELECT ids.ids[1 + floor(random() * $2)::int],
              (10000 + floor(random() * 60000)::int)::text,
              CASE WHEN r.o < 0.93 THEN 'success' WHEN r.o < 0.97 THEN 'not_found' ELSE 'failed' END,
              CASE WHEN r.p < 0.92 THEN 'http' WHEN r.p < 0.99 THEN 'browser' ELSE 'robust' END,
              CASE WHEN random() < 0.05 THEN 2 ELSE 1 END,
              CASE WHEN r.p < 0.92 THEN 100 + floor(random() * 500)::int
                   WHEN r.p < 0.99 THEN 2000 + floor(random() * 2000)::int
                   ELSE 8000 + floor(random() * 4000)::int END,
              now() - random() * interval '90 days'
         FROM ids, generate_series(1, $1) AS g,
              LATERAL (SELECT random() AS o, random() AS p, g AS n) AS r`,
      [rows, USERS],
    );
    for (const index of indexes) await client.query(index.definition);
    await client.query('VACUUM ANALYZE scraping_usage_stats');
  } finally {
    await client.end();
  }
  return performance.now() - started;
}

function percentile(sorted: number[], p: number): number {
  const rank = p * (sorted.length - 1);
  const low = Math.floor(rank);
  return sorted[low]! + (sorted[Math.ceil(rank)]! - sorted[low]!) * (rank - low);
}

async function main(): Promise<void> {
  const { NestFactory } = await import('@nestjs/core');
  const { AppModule } = await loadBuilt<typeof import('../src/app.module.js')>('app.module.js');
  const { configureHttp } = await loadBuilt<typeof import('../src/common/configure-http.js')>(
    'common/configure-http.js',
  );
  const { loadConfig } =
    await loadBuilt<typeof import('../src/config/load-config.js')>('config/load-config.js');

  await dropBenchDatabase(DATABASE);
  const prefix = `ros-bench-dash-${randomBytes(3).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  const configFor = (cacheSeconds: number) =>
    loadConfig({
      ROLE: 'api',
      DATABASE_URL: `${SERVER}/${DATABASE}`,
      REDIS_PREFIX: prefix,
      JWT_SECRET: randomBytes(32).toString('hex'),
      ADMIN_USERNAME: 'admin',
      ADMIN_PASSWORD: password,
      LOG_LEVEL: 'warn',
      ENV_FILE: 'none',
      STATS_CACHE_SECONDS: String(cacheSeconds),
    });
  const startApp = async (cacheSeconds: number) => {
    const config = configFor(cacheSeconds);
    const instance = await NestFactory.create(AppModule.forRoot(config), {
      bodyParser: false,
      bufferLogs: true,
      logger: false,
    });
    configureHttp(instance as never, config);
    await instance.listen(0, '127.0.0.1');
    return { app: instance, base: (await instance.getUrl()).replace('[::1]', '127.0.0.1') };
  };
  const measure = async (base: string, cache: 'on' | 'off') => {
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }),
    });
    const { access_token: token } = (await login.json()) as { access_token: string };
    const rows = [];
    for (const endpoint of ENDPOINTS) {
      const times: number[] = [];
      for (let run = -3; run < RUNS; run += 1) {
        const started = performance.now();
        const response = await fetch(`${base}${endpoint.path}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        await response.arrayBuffer();
        if (!response.ok) throw new Error(`${endpoint.path}: HTTP ${response.status}`);
        if (run >= 0) times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      rows.push({
        endpoint: endpoint.name,
        cache,
        runs: RUNS,
        p50_ms: percentile(times, 0.5),
        p95_ms: percentile(times, 0.95),
        max_ms: times.at(-1)!,
      });
    }
    return rows;
  };
  const config = configFor(0);
  const { UsageRollupService } = await loadBuilt<
    typeof import('../src/stats/usage-rollup.service.js')
  >('stats/usage-rollup.service.js');
  const scales = [];
  try {
    for (const rowsSeeded of SCALES) {
      await dropBenchDatabase(DATABASE);
      let { app, base } = await startApp(90);
      try {
        process.stdout.write(
          `Seeding ${rowsSeeded.toLocaleString('en')} usage rows over 90 days for ${USERS} users… `,
        );
        const seedMs = await seed(config.DATABASE_URL, rowsSeeded);
        process.stdout.write(`${(seedMs / 1000).toFixed(1)} s\n`);
        // As the hourly maintenance does: complete hours go into the roll-ups.
        const rollupStarted = performance.now();
        const rollup = await app.get(UsageRollupService).rollUp();
        const rollupMs = performance.now() - rollupStarted;
        await vacuumRollups(config.DATABASE_URL);
        console.log(
          `Rolled up in ${(rollupMs / 1000).toFixed(1)} s: ${rollup.hourly_groups} hourly, ${rollup.daily_groups} per-user, ${rollup.os_daily_groups} per-OS and ${rollup.histogram_groups} histogram groups`,
        );
        await app.close();
        // Cold first: every figure computed on each request, right after the bulk load and the
        // roll-up, while PostgreSQL's buffers hold the least (the harder case).
        ({ app, base } = await startApp(0));
        const endpoints = await measure(base, 'off');
        await app.close();
        // Warm, as deployed: a service that has been answering, with times and top OS reused for
        // STATS_CACHE_SECONDS (refreshed every minute by maintenance).
        ({ app, base } = await startApp(90));
        endpoints.push(...(await measure(base, 'on')));
        scales.push({ rows_seeded: rowsSeeded, seed_ms: seedMs, rollup_ms: rollupMs, endpoints });
      } finally {
        await app.close();
      }
    }
    printTable(
      [
        { title: 'rows', value: (row) => row.rows.toLocaleString('en') },
        { title: 'endpoint', value: (row) => row.endpoint },
        { title: 'cache', value: (row) => (row.cache === 'on' ? 'warm' : 'cold') },
        { title: 'runs', value: (row) => row.runs },
        { title: 'p50 ms', value: (row) => row.p50_ms, digits: 1 },
        { title: 'p95 ms', value: (row) => row.p95_ms, digits: 1 },
        { title: 'max ms', value: (row) => row.max_ms, digits: 1 },
        {
          title: 'aim p95 (cold ≤ 200, warm ≤ 50 ms)',
          value: (row) => (row.p95_ms <= aimMs(row.cache) ? 'met' : 'missed'),
        },
      ],
      scales.flatMap((scale) =>
        scale.endpoints.map((endpoint) => ({ rows: scale.rows_seeded, ...endpoint })),
      ),
    );
    const path = await writeResults('dashboard', {
      users: USERS,
      days_of_history: 90,
      scales,
    });
    console.log(`\nWrote ${path}`);
  } finally {
    if (!KEEP) await dropBenchDatabase(DATABASE).catch(() => undefined);
    await deleteBenchKeys(prefix, config.REDIS_URL);
  }
}

/** The aims of the figures: p95 ≤ 50 ms warm, ≤ 200 ms cold. */
function aimMs(cache: 'on' | 'off'): number {
  return cache === 'on' ? 50 : 200;
}

/** As autovacuum would after the roll-up: visibility maps set, statistics fresh. */
async function vacuumRollups(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const table of [
      'scraping_usage_hourly',
      'scraping_usage_hourly_durations',
      'scraping_usage_daily',
      'scraping_usage_daily_durations',
      'scraping_usage_os_daily',
      'scraping_usage_os_window',
    ])
      await client.query(`VACUUM ANALYZE ${table}`);
  } finally {
    await client.end();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
