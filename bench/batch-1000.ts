/**
 * The original's "1000 OS" strategy: 10 batches of 100, each submitted once the previous one has
 * finished (the seed's client, without its 2-minute pauses), against the simulator with 300 ms
 * per request. Reports the wall time and its ratio to the ideal
 *   (OS × target requests per OS × latency) / allowed concurrency,
 * where the allowed concurrency is what one batch may have in flight (its group of 5, within
 * TARGET_MAX_CONCURRENCY). The service runs as `node dist/main.js all`, the simulator in a
 * process of its own.
 *
 *   npm run build && npx tsx bench/batch-1000.ts [--count 1000] [--latency 300]
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { freePort } from '../demo/lib/free-port.js';
import {
  DIST_DIR,
  intOption,
  parseFlags,
  printTable,
  startSimulatorProcess,
  writeResults,
  BENCH_DATABASE_SERVER,
  deleteBenchKeys,
  dropBenchDatabase,
} from './lib/index.js';
import { BATCH_1000_LIMITS } from './lib/batch-1000-settings.js';

const flags = parseFlags();
const COUNT = intOption(flags, 'count', 'BENCH_COUNT', 1000, 1);
const LATENCY_MS = intOption(flags, 'latency', 'BENCH_LATENCY_MS', 300, 0);
const BATCH_SIZE = 100;
const GROUP_SIZE = BATCH_1000_LIMITS.BATCH_GROUP_SIZE;
const TARGET_CONCURRENCY = BATCH_1000_LIMITS.TARGET_MAX_CONCURRENCY;
const SERVER = BENCH_DATABASE_SERVER;
const DATABASE = 'ros_bench_batch_1000';

async function json<T>(url: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(url, init);
  if (!response.ok)
    throw new Error(
      `${init.method ?? 'GET'} ${url}: HTTP ${response.status} ${await response.text()}`,
    );
  return (await response.json()) as T;
}

async function main(): Promise<void> {
  const simulator = await startSimulatorProcess({
    truth: true,
    latencyMs: LATENCY_MS,
    jitterMs: 0,
    maxSessions: 20,
  });
  await dropBenchDatabase(DATABASE);
  const port = await freePort();
  const prefix = `ros-bench-1000-${randomBytes(3).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  const service = spawn(process.execPath, [`${DIST_DIR}main.js`, 'all'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      PATH: process.env.PATH,
      ENV_FILE: 'none',
      PORT: String(port),
      DATABASE_URL: `${SERVER}/${DATABASE}`,
      REDIS_PREFIX: prefix,
      JWT_SECRET: randomBytes(32).toString('hex'),
      ADMIN_USERNAME: 'admin',
      ADMIN_PASSWORD: password,
      LOG_LEVEL: 'warn',
      TARGET_BASE_URL: simulator.url,
      TARGET_USERNAME: 'demo',
      TARGET_PASSWORD: 'demo',
      // The service's speed, not its politeness (bench/lib/batch-1000-settings.ts).
      ...Object.fromEntries(
        Object.entries(BATCH_1000_LIMITS).map(([name, value]) => [name, String(value)]),
      ),
    },
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i += 1) {
      if (
        await fetch(`${base}/api/health/live`)
          .then((r) => r.ok)
          .catch(() => false)
      )
        break;
      if (i > 300) throw new Error('the service did not start');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const { access_token: token } = await json<{ access_token: string }>(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }),
    });
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    // One OS on demand, end to end (API, queue, worker, target, PostgreSQL, status), as a user sees it.
    const singles: number[] = [];
    for (const osNumber of ['90001', '90002', '90003']) {
      const started = performance.now();
      const { task_id } = await json<{ task_id: string }>(`${base}/api/desenvolvimento/scraping`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ os_number: osNumber }),
      });
      while (
        (
          await json<{ status: string }>(`${base}/api/desenvolvimento/scraping-status/${task_id}`, {
            headers: auth,
          })
        ).status === 'processing'
      ) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      singles.push((performance.now() - started) / 1000);
    }
    const singleS = singles.sort((a, b) => a - b)[1]!;
    const numbers = Array.from({ length: COUNT }, (_, i) => String(100_000 + i));
    await simulator.resetStats();

    const started = performance.now();
    const outcomes = { success: 0, not_found: 0, failed: 0 };
    for (let offset = 0; offset < numbers.length; offset += BATCH_SIZE) {
      const batch = numbers.slice(offset, offset + BATCH_SIZE);
      const { task_id } = await json<{ task_id: string }>(
        `${base}/api/desenvolvimento/scraping-batch`,
        {
          method: 'POST',
          headers: auth,
          body: JSON.stringify({
            os_numbers: batch,
            batch_name: `Lote_${offset / BATCH_SIZE + 1}`,
          }),
        },
      );
      for (;;) {
        const status = await json<{
          status: string;
          succeeded: number;
          not_found: number;
          failed: number;
        }>(`${base}/api/desenvolvimento/scraping-batch-status/${task_id}`, { headers: auth });
        if (status.status !== 'processing') {
          outcomes.success += status.succeeded;
          outcomes.not_found += status.not_found;
          outcomes.failed += status.failed;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    const wallS = (performance.now() - started) / 1000;
    const stats = await simulator.stats();
    const pageRequests =
      (stats.requestsByRoute['GET /os/detalhe'] ?? 0) +
      (stats.requestsByRoute['GET /os/itens.json'] ?? 0);
    const requestsPerOs = pageRequests / COUNT;
    const allowed = Math.min(TARGET_CONCURRENCY, GROUP_SIZE);
    const idealS = (COUNT * requestsPerOs * LATENCY_MS) / 1000 / allowed;
    const row = {
      os: COUNT,
      latency_ms: LATENCY_MS,
      requests_per_os: requestsPerOs,
      allowed_concurrency: allowed,
      ideal_s: idealS,
      wall_s: wallS,
      ratio: wallS / idealS,
      os_per_minute: (COUNT / wallS) * 60,
      logins: stats.logins.successful,
      single_os_s: singleS,
      ...outcomes,
    };
    printTable(
      [
        { title: 'OS', value: (r) => r.os },
        { title: 'latency ms', value: (r) => r.latency_ms },
        { title: 'requests/OS', value: (r) => r.requests_per_os, digits: 2 },
        { title: 'concurrency', value: (r) => r.allowed_concurrency },
        { title: 'ideal s', value: (r) => r.ideal_s, digits: 1 },
        { title: 'wall s', value: (r) => r.wall_s, digits: 1 },
        { title: 'ratio', value: (r) => r.ratio, digits: 3 },
        { title: 'OS/min', value: (r) => r.os_per_minute, digits: 0 },
        { title: '1 OS s', value: (r) => r.single_os_s, digits: 2 },
        {
          title: 'ok / not found / failed',
          value: (r) => `${r.success} / ${r.not_found} / ${r.failed}`,
        },
        { title: 'aim ratio ≤ 1.15', value: (r) => (r.ratio <= 1.15 ? 'met' : 'missed') },
      ],
      [row],
    );
    console.log(`\nThe original: 1000 OS in 5–10 h. Here: ${(wallS / 60).toFixed(1)} min.`);
    console.log(`Wrote ${await writeResults('batch-1000', row)}`);
  } finally {
    service.kill('SIGTERM');
    await new Promise((resolve) => service.once('exit', resolve));
    await simulator.close();
    await dropBenchDatabase(DATABASE).catch(() => undefined);
    await deleteBenchKeys(prefix);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
