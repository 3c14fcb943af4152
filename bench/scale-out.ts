/**
 * Worker scale-out: one `api` process and 1, 2, 4 `worker` processes on the same PostgreSQL and
 * Redis, against the simulator at 300 ms per request (HTTP path). A warm-up round (two batches per
 * worker, as many as its batch handlers) first logs every session slot in: logins to a target run
 * one at a time across workers (a wrong password must not be tried in parallel), so a cold start
 * spends its first seconds on them, and that ramp is reported apart (`warm_up_s`, `logins`). Then
 * the measured batches are submitted up front so every worker stays busy; OS/s is measured in the
 * steady part of the run (from 10 % to 75 % of the OS done) and compared with N × the one-worker
 * figure.
 *
 *   1. `uncapped`: politeness caps raised far above what the workers ask, so the target is not
 *      the limit and the figure shows what workers add;
 *   2. `capped`: TARGET_MAX_CONCURRENCY as the limit: the cap holds across workers (peak requests
 *      in flight at the target) and throughput sits at cap / (requests per OS × latency).
 *
 *   npm run build && npx tsx bench/scale-out.ts [--workers 1,2,4] [--os-per-worker 400] [--latency 300] [--cap 6]
 *     [--modes uncapped,capped]   (a subset re-runs those modes and keeps the others' last result)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { freePort } from '../demo/lib/free-port.js';
import pg from 'pg';
import {
  BENCH_DATABASE_SERVER,
  DIST_DIR,
  deleteBenchKeys,
  dropBenchDatabase,
  intOption,
  listOption,
  parseFlags,
  RESULTS_DIR,
  printTable,
  readProcStat,
  startSimulatorProcess,
  writeResults,
  type SimulatorProcess,
} from './lib/index.js';

const flags = parseFlags();
const WORKERS = String(flags.get('workers') ?? '1,2,4')
  .split(',')
  .map(Number)
  .filter((n) => Number.isInteger(n) && n > 0);
const OS_PER_WORKER = intOption(flags, 'os-per-worker', 'BENCH_OS_PER_WORKER', 400, 50);
const LATENCY_MS = intOption(flags, 'latency', 'BENCH_LATENCY_MS', 300, 0);
const CAP = intOption(flags, 'cap', 'BENCH_TARGET_CAP', 6, 1);
const MODES = listOption(flags, 'modes', 'BENCH_MODES', ['uncapped', 'capped'] as const);
const BATCH_SIZE = 50;
/** As many batches as a worker's batch handlers (QUEUE_BATCH_CONCURRENCY), so every slot logs in. */
const WARM_UP_BATCHES_PER_WORKER = 2;
const DATABASE = 'ros_bench_scale_out';

interface Run {
  mode: 'uncapped' | 'capped';
  workers: number;
  target_max_concurrency: number;
  os: number;
  os_per_s: number;
  /** OS/s over N × the one-worker figure of the same mode. */
  ratio: number;
  /** Expected OS/s when the cap is the limit: cap / (requests per OS × latency). */
  cap_os_per_s: number | null;
  requests_per_os: number;
  peak_in_flight: number;
  /** Seconds the warm-up round took (its logins included), and the logins it made. */
  warm_up_s?: number;
  warm_up_logins?: number;
  /** Logins during the measured run (sessions that expired or were refused meanwhile). */
  logins?: number;
  /** CPU of the api and worker processes during the window, in cores. */
  service_cores: number;
  /** Busy share of the whole machine during the window (other work included), in cores. */
  machine_busy_cores: number;
  failed: number;
}

interface Sample {
  at: number;
  done: number;
  cpu: number;
  machine: { busy: number; total: number };
}

/** Busy and total jiffies of the machine (all CPUs), from /proc/stat. */
function machineCpu(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1);
  const values = fields.map(Number);
  const idle = values[3]! + (values[4] ?? 0);
  const total = values.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

async function waitHealthy(base: string): Promise<void> {
  for (let i = 0; i < 600; i += 1) {
    if (
      await fetch(`${base}/api/health/live`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the api did not start');
}

async function measure(
  simulator: SimulatorProcess,
  mode: Run['mode'],
  workers: number,
): Promise<Omit<Run, 'ratio'>> {
  await dropBenchDatabase(DATABASE);
  const prefix = `ros-bench-scale-${randomBytes(3).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  const port = await freePort();
  const cap = mode === 'capped' ? CAP : 1_000;
  const env = {
    PATH: process.env.PATH,
    ENV_FILE: 'none',
    PORT: String(port),
    DATABASE_URL: `${BENCH_DATABASE_SERVER}/${DATABASE}`,
    REDIS_PREFIX: prefix,
    JWT_SECRET: randomBytes(32).toString('hex'),
    ADMIN_USERNAME: 'admin',
    ADMIN_PASSWORD: password,
    LOG_LEVEL: 'warn',
    TARGET_BASE_URL: simulator.url,
    TARGET_USERNAME: 'demo',
    TARGET_PASSWORD: 'demo',
    TARGET_MAX_CONCURRENCY: String(cap),
    TARGET_MAX_SESSIONS: String(Math.min(cap, 100)),
    TARGET_MAX_RPS: '0',
    RATE_LIMIT_BATCHES_PER_HOUR: '100000',
    RATE_LIMIT_OS_PER_HOUR: '100000',
    BATCH_BACKLOG_CAP: '10000',
  };
  const processes: ChildProcess[] = [];
  const start = (role: string) => {
    const child = spawn(process.execPath, [`${DIST_DIR}main.js`, role], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...env, PORT: role === 'api' ? String(port) : String(0) },
    });
    processes.push(child);
    return child;
  };
  const base = `http://127.0.0.1:${port}`;
  const db = new pg.Client({ connectionString: env.DATABASE_URL });
  try {
    start('api');
    await waitHealthy(base);
    for (let i = 0; i < workers; i += 1) start('worker');
    await db.connect();
    // Every worker has its browser pool and Bull consumers up before the clock starts.
    for (let i = 0; ; i += 1) {
      const live = await fetch(`${base}/api/desenvolvimento/scraping-queue-status`, {
        headers: { authorization: `Bearer ${await token(base, password)}` },
      }).then((r) => r.json() as Promise<{ workers_connected?: number }>);
      if ((live.workers_connected ?? 0) >= workers) break;
      if (i > 300) throw new Error(`only ${live.workers_connected} of ${workers} workers came up`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const auth = {
      authorization: `Bearer ${await token(base, password)}`,
      'content-type': 'application/json',
    };
    const submit = async (first: number, count: number) => {
      for (let offset = 0; offset < count; offset += BATCH_SIZE) {
        const numbers = Array.from({ length: Math.min(BATCH_SIZE, count - offset) }, (_, i) =>
          String(first + offset + i),
        );
        const response = await fetch(`${base}/api/desenvolvimento/scraping-batch`, {
          method: 'POST',
          headers: auth,
          body: JSON.stringify({ os_numbers: numbers }),
        });
        if (response.status !== 202)
          throw new Error(`batch refused: HTTP ${response.status} ${await response.text()}`);
      }
    };
    const usageRows = async () =>
      (await db.query<{ done: number }>('SELECT count(*)::int AS done FROM scraping_usage_stats'))
        .rows[0]!.done;

    await simulator.resetStats();
    const warmUpStarted = performance.now();
    const warmUpOs = WARM_UP_BATCHES_PER_WORKER * BATCH_SIZE * workers;
    await submit(100_000, warmUpOs);
    while ((await usageRows()) < warmUpOs) await new Promise((resolve) => setTimeout(resolve, 250));
    const warmUpSeconds = (performance.now() - warmUpStarted) / 1000;
    const warmUpLogins = (await simulator.stats()).logins.successful;

    const total = OS_PER_WORKER * workers;
    await simulator.resetStats();
    await submit(200_000, total);
    const servicePids = processes.map((child) => child.pid!);
    const serviceCpu = () =>
      servicePids.reduce((sum, pid) => sum + (readProcStat(pid)?.cpuMs ?? 0), 0);
    let window: Sample | null = null;
    let end: Sample | null = null;
    for (;;) {
      const done = (await usageRows()) - warmUpOs;
      const sample: Sample = {
        at: performance.now(),
        done,
        cpu: serviceCpu(),
        machine: machineCpu(),
      };
      if (!window && done >= total * 0.1) window = sample;
      if (window && !end && done >= total * 0.75) end = sample;
      if (done >= total) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const stats = await simulator.stats();
    const [{ failed }] = (
      await db.query<{ failed: number }>(
        "SELECT count(*)::int AS failed FROM scraping_usage_stats WHERE outcome = 'failed'",
      )
    ).rows;
    const seconds = (end!.at - window!.at) / 1000;
    const requestsPerOs =
      ((stats.requestsByRoute['GET /os/detalhe'] ?? 0) +
        (stats.requestsByRoute['GET /os/itens.json'] ?? 0)) /
      total;
    const ticks = end!.machine.total - window!.machine.total;
    return {
      mode,
      workers,
      target_max_concurrency: cap,
      os: total,
      os_per_s: (end!.done - window!.done) / seconds,
      cap_os_per_s: mode === 'capped' ? cap / (requestsPerOs * (LATENCY_MS / 1000)) : null,
      requests_per_os: requestsPerOs,
      peak_in_flight: stats.peakInFlight,
      warm_up_s: warmUpSeconds,
      warm_up_logins: warmUpLogins,
      logins: stats.logins.successful + stats.logins.failed,
      service_cores: (end!.cpu - window!.cpu) / 1000 / seconds,
      machine_busy_cores: ((end!.machine.busy - window!.machine.busy) / ticks) * machineCores(),
      failed: failed!,
    };
  } finally {
    await db.end().catch(() => undefined);
    await Promise.all(
      processes.map(
        (child) =>
          new Promise((resolve) => {
            if (child.exitCode !== null) return resolve(null);
            child.once('exit', resolve);
            child.kill('SIGTERM');
          }),
      ),
    );
    await dropBenchDatabase(DATABASE).catch(() => undefined);
    await deleteBenchKeys(prefix);
  }
}

function machineCores(): number {
  return readFileSync('/proc/stat', 'utf8')
    .split('\n')
    .filter((line) => /^cpu\d+ /.test(line)).length;
}

async function token(base: string, password: string): Promise<string> {
  const response = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

async function main(): Promise<void> {
  const simulator = await startSimulatorProcess({
    latencyMs: LATENCY_MS,
    jitterMs: 0,
    maxSessions: 1_000,
  });
  const runs: Run[] = [];
  try {
    for (const mode of MODES) {
      let one: number | null = null;
      for (const workers of WORKERS) {
        process.stderr.write(`${mode}, ${workers} worker(s)… `);
        const run = await measure(simulator, mode, workers);
        one ??= run.os_per_s / workers;
        runs.push({ ...run, ratio: run.os_per_s / (workers * one) });
        process.stderr.write(`${run.os_per_s.toFixed(1)} OS/s\n`);
      }
    }
  } finally {
    await simulator.close();
  }
  // Modes not run this time keep their last result.
  const last = `${RESULTS_DIR}scale-out.json`;
  if (MODES.length < 2 && existsSync(last)) {
    const previous = (JSON.parse(readFileSync(last, 'utf8')) as { result: { runs: Run[] } }).result;
    runs.push(...previous.runs.filter((run) => !MODES.includes(run.mode)));
    runs.sort((a, b) => a.mode.localeCompare(b.mode) * -1 || a.workers - b.workers);
  }
  printTable(
    [
      { title: 'mode', value: (r) => r.mode },
      { title: 'workers', value: (r) => r.workers },
      { title: 'target cap', value: (r) => r.target_max_concurrency },
      { title: 'OS', value: (r) => r.os },
      { title: 'OS/s', value: (r) => r.os_per_s, digits: 1 },
      { title: 'ratio to N × 1 worker', value: (r) => r.ratio, digits: 2 },
      {
        title: 'cap OS/s',
        value: (r) => (r.cap_os_per_s === null ? '—' : r.cap_os_per_s.toFixed(1)),
      },
      { title: 'peak in flight at target', value: (r) => r.peak_in_flight },
      {
        title: 'warm-up s (logins)',
        // Runs kept from before the warm-up round have none.
        value: (r) =>
          r.warm_up_s === undefined ? '—' : `${r.warm_up_s.toFixed(1)} (${r.warm_up_logins})`,
      },
      { title: 'logins measured', value: (r) => r.logins ?? '—' },
      { title: 'service cores', value: (r) => r.service_cores, digits: 2 },
      { title: 'machine busy cores', value: (r) => r.machine_busy_cores, digits: 2 },
      { title: 'failed', value: (r) => r.failed },
    ],
    runs,
  );
  const path = await writeResults('scale-out', {
    latency_ms: LATENCY_MS,
    batch_size: BATCH_SIZE,
    os_per_worker: OS_PER_WORKER,
    cap: CAP,
    runs,
  });
  console.log(`\nWrote ${path}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
