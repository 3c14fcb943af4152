// Benchmark of the scraping paths against Crawlee: `npm run build && npx tsx bench/scrape-paths.ts`.
// See bench/README.md. Each runner runs in a process of its own; the simulator in another one.
import { existsSync } from 'node:fs';
import os from 'node:os';
import {
  describeMachine,
  DIST_DIR,
  intOption,
  keyValues,
  listOption,
  parseFlags,
  printTable,
  runTsChild,
  serviceNodeOptions,
  startSimulatorProcess,
  textOption,
  treeMemory,
  writeResults,
  type SimulatorProcess,
  type TreeMemory,
} from './lib/index.js';
import { COLUMNS, formatAims, judgeAims, toRow, type Row } from './scrape-paths/report.js';
import {
  LAYOUTS,
  RUNNER_LABELS,
  RUNNERS,
  type BenchLayout,
  type RunnerInput,
  type RunnerName,
  type RunnerReport,
} from './scrape-paths/runner-types.js';
import { fetchTruth, verify, type Truth } from './scrape-paths/truth.js';

const USAGE = `npx tsx bench/scrape-paths.ts [options]   (after npm run build)

  --concurrency N     OS in flight per runner (BENCH_CONCURRENCY, default 5)
  --count N           measured OS for every runner (BENCH_COUNT)
  --count-http N      http and cheerio (BENCH_COUNT_HTTP, default 500)
  --count-browser N   browser and playwright (BENCH_COUNT_BROWSER, default 150)
  --count-robust N    robust (BENCH_COUNT_ROBUST, default 40)
  --warmup N          OS read before the window opens (BENCH_WARMUP; default 10% of the
                      count, at least 2 × concurrency)
  --only a,b          runners to run, in this order (BENCH_ONLY): ${RUNNERS.join(', ')}
                      (default: all but auto on layout a)
  --layout a|c        simulator layout (BENCH_LAYOUT, default a); c is script-only: read by the
                      browser runners (browser, playwright, limit, robust, auto; default browser,
                      playwright, limit, auto); results go to scrape-paths-c.json
  --worker-env K=V,…  extra settings for our worker, e.g. SCRAPER_MAX_CONTEXTS=2 (BENCH_WORKER_ENV)
  --worker-node-options="…"
                      NODE_OPTIONS of our runners' process (BENCH_WORKER_NODE_OPTIONS; default
                      the image's, from docker/Dockerfile; ="" for Node's defaults); Crawlee's
                      and the limit runner keep Node's defaults
  --latency-ms N      the simulator's delay per request (BENCH_LATENCY_MS, default 0: the
                      runners are CPU-bound; a real ERP answers in 100 ms or more)
  --results NAME      write bench/results/NAME.json instead of the default for the layout
`;
const FLAGS = [
  'help',
  'concurrency',
  'count',
  'count-http',
  'count-browser',
  'count-robust',
  'warmup',
  'only',
  'worker-env',
  'worker-node-options',
  'layout',
  'latency-ms',
  'results',
];

/** Which count each runner uses: Crawlee's crawlers get the same as the path they face. */
const COUNT_GROUP: Record<RunnerName, 'http' | 'browser' | 'robust'> = {
  http: 'http',
  cheerio: 'http',
  browser: 'browser',
  playwright: 'browser',
  limit: 'browser',
  robust: 'robust',
  auto: 'browser',
};

interface Options {
  concurrency: number;
  counts: Record<'http' | 'browser' | 'robust', number>;
  /** Fixed warm-up, or undefined for 10% of each count (at least 2 × concurrency). */
  warmup: number | undefined;
  runners: RunnerName[];
  workerEnv: Record<string, string>;
  /** NODE_OPTIONS of our runners' process. */
  workerNodeOptions: string;
  layout: BenchLayout;
  latencyMs: number;
  /** The results file's name, when not the layout's default. */
  results: string | undefined;
}

function readOptions(): Options | 'help' {
  const flags = parseFlags();
  const unknown = [...flags.keys()].filter((name) => !FLAGS.includes(name));
  if (unknown.length > 0) throw new Error(`unknown option --${unknown[0]}\n\n${USAGE}`);
  if (flags.has('help')) return 'help';
  const concurrency = intOption(flags, 'concurrency', 'BENCH_CONCURRENCY', 5, 1);
  const layoutFlag = flags.get('layout') ?? process.env.BENCH_LAYOUT ?? 'a';
  if (!LAYOUTS.includes(layoutFlag as BenchLayout))
    throw new Error(`--layout must be one of ${LAYOUTS.join(', ')}\n\n${USAGE}`);
  const layout = layoutFlag as BenchLayout;
  const results = flags.get('results') ?? process.env.BENCH_RESULTS;
  if (results === true || (results !== undefined && !/^[\w.-]+$/.test(results)))
    throw new Error(`--results needs a file name (letters, digits, . _ -)\n\n${USAGE}`);
  const all =
    flags.has('count') || process.env.BENCH_COUNT
      ? intOption(flags, 'count', 'BENCH_COUNT', 0, 1)
      : undefined;
  return {
    concurrency,
    counts: {
      http: intOption(flags, 'count-http', 'BENCH_COUNT_HTTP', all ?? 500, 1),
      browser: intOption(flags, 'count-browser', 'BENCH_COUNT_BROWSER', all ?? 150, 1),
      robust: intOption(flags, 'count-robust', 'BENCH_COUNT_ROBUST', all ?? 40, 1),
    },
    warmup:
      flags.has('warmup') || process.env.BENCH_WARMUP
        ? intOption(flags, 'warmup', 'BENCH_WARMUP', 0, 0)
        : undefined,
    runners: listOption(
      flags,
      'only',
      'BENCH_ONLY',
      RUNNERS,
      layout === 'c'
        ? (['browser', 'playwright', 'limit', 'auto'] as const)
        : RUNNERS.filter((r) => r !== 'auto'),
    ),
    layout,
    workerEnv: keyValues(flags.get('worker-env') ?? process.env.BENCH_WORKER_ENV),
    workerNodeOptions: textOption(
      flags,
      'worker-node-options',
      'BENCH_WORKER_NODE_OPTIONS',
      serviceNodeOptions(),
    ),
    latencyMs: intOption(flags, 'latency-ms', 'BENCH_LATENCY_MS', 0, 0),
    results,
  };
}

/** Runs one runner in its own process and checks every outcome against the truth. */
async function runOne(
  input: RunnerInput,
  nodeOptions: string,
  simulator: SimulatorProcess,
  truth: Truth,
): Promise<Row> {
  await simulator.resetStats();
  const loadBefore = os.loadavg()[0]!;
  const memory: TreeMemory[] = [];
  const report = await runTsChild<RunnerReport>(
    new URL('./scrape-paths/runner-entry.ts', import.meta.url),
    {
      input,
      // Our runners run as the image does; the others with Node's defaults, as they ship.
      env: RUNNER_LABELS[input.runner].engine === 'ours' ? { NODE_OPTIONS: nodeOptions } : {},
      timeoutMs: 15 * 60_000,
      onNote: (note, pid) => {
        if (note === 'pss') memory.push(treeMemory(pid));
      },
    },
  );
  const target = await simulator.stats();
  report.notes.target = {
    requests: target.requestsTotal,
    logins: target.logins.successful,
    peak_active_sessions: target.peakActiveSessions,
    peak_in_flight: target.peakInFlight,
    asset_downloads: target.assetDownloads,
  };
  const loadAverage = { before: loadBefore, after: os.loadavg()[0]! };
  return toRow(report, verify(input.numbers, report.outcomes, truth), loadAverage, memory);
}

async function main(): Promise<number> {
  const options = readOptions();
  if (options === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const { concurrency, counts, warmup, runners, workerEnv, layout, latencyMs } = options;
  if (layout === 'c' && runners.some((r) => r === 'cheerio' || r === 'http'))
    throw new Error(
      'layout c is script-only: run it with --only browser,playwright,limit,robust,auto',
    );
  if (!existsSync(`${DIST_DIR}app.module.js`)) {
    process.stderr.write('dist/ is missing: run `npm run build` first\n');
    return 2;
  }

  const machine = describeMachine();
  const simulatorOptions = {
    truth: true,
    latencyMs,
    maxSessions: Math.max(10, 2 * concurrency),
    layout,
  };
  const simulator = await startSimulatorProcess(simulatorOptions);
  const rows: Row[] = [];
  const failures: Array<{ runner: RunnerName; error: string }> = [];
  try {
    // Every runner reads the same OS numbers (about 3% of them do not exist).
    const warmupFor = (count: number) =>
      warmup ?? Math.max(2 * concurrency, Math.round(count / 10));
    const longest = Math.max(
      ...runners.map((runner) => {
        const count = counts[COUNT_GROUP[runner]];
        return warmupFor(count) + count;
      }),
    );
    const numbers = Array.from({ length: longest }, (_, index) => String(100_000 + index * 17));
    log(`simulator at ${simulator.url}; fetching the truth of ${numbers.length} OS`);
    const truth = await fetchTruth(simulator.url, numbers);
    for (const runner of runners) {
      const count = counts[COUNT_GROUP[runner]];
      const runnerWarmup = warmupFor(count);
      log(`${runner}: ${count} OS (+${runnerWarmup} warm-up), concurrency ${concurrency}…`);
      try {
        const row = await runOne(
          {
            runner,
            layout,
            simulatorUrl: simulator.url,
            numbers: numbers.slice(0, runnerWarmup + count),
            warmup: runnerWarmup,
            concurrency,
            workerEnv,
          },
          options.workerNodeOptions,
          simulator,
          truth,
        );
        rows.push(row);
        log(
          `${runner}: ${row.osPerSecond} OS/s, ${row.cpuMsPerOs} CPU-ms/OS, peak RSS ${row.peakRssMb} MB, PSS ${row.pssMeanMb} MB, ${row.mismatches} mismatches`,
        );
        for (const example of row.examples) log(`  ${example}`);
      } catch (error) {
        failures.push({ runner, error: (error as Error).message });
        log(`${runner} failed: ${(error as Error).message}`);
      }
    }
  } finally {
    await simulator.close();
  }

  const aims = judgeAims(rows);
  const mismatches = rows.reduce((sum, row) => sum + row.mismatches, 0);
  printTable(
    COLUMNS,
    rows,
    `scrape-paths (layout ${layout}): simulator at ${latencyMs} ms latency, concurrency ${concurrency}, ${machine.cores} cores (${machine.cpuModel}), ${machine.chromium ?? 'no Chromium'}, Node ${machine.node}`,
  );
  process.stdout.write(`\nmismatches against the truth: ${mismatches}\n\n${formatAims(aims)}\n`);
  const autoRow = rows.find((row) => row.runner === 'auto');
  if (autoRow) process.stdout.write(`\nauto: ${JSON.stringify(autoRow.notes.path_choice)}\n`);
  const path = await writeResults(
    options.results ?? resultsName(layout, runners),
    {
      options: { ...options, simulator: simulatorOptions },
      rows,
      aims,
      mismatches,
      failures,
    },
    machine,
  );
  process.stdout.write(`\nwrote ${path}\n`);
  return mismatches > 0 || failures.length > 0 ? 1 : 0;
}

/** Layout a keeps `scrape-paths`; an auto-only run on it and other layouts get files of their own. */
function resultsName(layout: BenchLayout, runners: RunnerName[]): string {
  if (layout !== 'a') return `scrape-paths-${layout}`;
  return runners.every((runner) => runner === 'auto') ? 'scrape-paths-a-auto' : 'scrape-paths';
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
