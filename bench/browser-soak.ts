// Memory of the browser path over a long run: `npm run build && npx tsx bench/browser-soak.ts`.
// See bench/README.md. The worker runs in a process of its own; the simulator in another one.
import { existsSync } from 'node:fs';
import os from 'node:os';
import {
  describeMachine,
  DIST_DIR,
  intOption,
  keyValues,
  parseFlags,
  printTable,
  runTsChild,
  serviceNodeOptions,
  startSimulatorProcess,
  textOption,
  treeMemory,
  writeResults,
} from './lib/index.js';
import { judgeFlatness, type MemorySample } from './browser-soak/flatness.js';
import type { SoakInput, SoakProgress, SoakReport } from './browser-soak/soak-entry.js';
import { LAYOUTS, type BenchLayout } from './scrape-paths/runner-types.js';

const USAGE = `npx tsx bench/browser-soak.ts [options]   (after npm run build)

Runs N OS through our browser path (the built service, pooled contexts, default recycling) against
the simulator and reads the PSS of the worker's process tree (Node + Chromium) every K OS.

  --count N          OS to read (BENCH_SOAK_COUNT, default 10000)
  --every K          OS between two memory readings (BENCH_SOAK_EVERY, default count / 100, at
                     least 25)
  --concurrency N    OS in flight (BENCH_CONCURRENCY, default 5)
  --layout a|c       simulator layout (BENCH_LAYOUT, default a)
  --worker-env K=V,… extra settings for the worker, e.g. SCRAPER_CONTEXT_MAX_HEAP_MB=0
  --worker-node-options="…"
                     NODE_OPTIONS of the worker's process (BENCH_WORKER_NODE_OPTIONS; default
                     the image's, from docker/Dockerfile; ="" for Node's defaults)
`;
const FLAGS = [
  'help',
  'count',
  'every',
  'concurrency',
  'layout',
  'worker-env',
  'worker-node-options',
];
const MB = 1024 * 1024;
const mb = (bytes: number) => Math.round((bytes / MB) * 10) / 10;

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

async function main(): Promise<number> {
  const flags = parseFlags();
  const unknown = [...flags.keys()].filter((name) => !FLAGS.includes(name));
  if (unknown.length > 0) throw new Error(`unknown option --${unknown[0]}\n\n${USAGE}`);
  if (flags.has('help')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const count = intOption(flags, 'count', 'BENCH_SOAK_COUNT', 10_000, 4);
  const every = intOption(
    flags,
    'every',
    'BENCH_SOAK_EVERY',
    Math.max(25, Math.ceil(count / 100)),
    1,
  );
  const concurrency = intOption(flags, 'concurrency', 'BENCH_CONCURRENCY', 5, 1);
  const layout = (flags.get('layout') ?? process.env.BENCH_LAYOUT ?? 'a') as BenchLayout;
  if (!LAYOUTS.includes(layout)) throw new Error(`--layout must be one of ${LAYOUTS.join(', ')}`);
  const workerEnv = keyValues(flags.get('worker-env'));
  const workerNodeOptions = textOption(
    flags,
    'worker-node-options',
    'BENCH_WORKER_NODE_OPTIONS',
    serviceNodeOptions(),
  );
  if (!existsSync(`${DIST_DIR}app.module.js`)) {
    process.stderr.write('dist/ is missing: run `npm run build` first\n');
    return 2;
  }

  const machine = describeMachine();
  const simulatorOptions = {
    latencyMs: 0,
    maxSessions: Math.max(10, 2 * concurrency),
    layout,
  };
  const simulator = await startSimulatorProcess(simulatorOptions);
  const samples: MemorySample[] = [];
  const loadAverages: number[] = [];
  let report: SoakReport;
  const started = performance.now();
  try {
    // Distinct OS numbers (about 3 % of them do not exist in the simulator).
    const numbers = Array.from({ length: count }, (_, index) => String(100_000 + index * 17));
    log(`simulator at ${simulator.url}; ${count} OS, a reading every ${every}, layout ${layout}`);
    report = await runTsChild<SoakReport>(
      new URL('./browser-soak/soak-entry.ts', import.meta.url),
      {
        input: {
          layout,
          simulatorUrl: simulator.url,
          numbers,
          concurrency,
          every,
          workerEnv,
        } satisfies SoakInput,
        env: { NODE_OPTIONS: workerNodeOptions },
        // A shared machine reads a browser OS in well under a second; a stuck run ends anyway.
        timeoutMs: 30 * 60_000 + count * 2_000,
        onNote: (note, pid) => {
          const progress = note as SoakProgress;
          const tree = treeMemory(pid);
          const sample: MemorySample = {
            done: progress.done,
            at_s: Math.round((performance.now() - started) / 100) / 10,
            pss_mb: mb(tree.pssBytes),
            node_pss_mb: mb(tree.rootPssBytes),
            rss_mb: mb(tree.rssBytes),
            processes: tree.processes,
          };
          samples.push(sample);
          loadAverages.push(os.loadavg()[0]!);
          // A soak takes most of an hour: what it read so far survives a stopped run.
          if (samples.length >= 4 && progress.done < count)
            void writeResults(
              'browser-soak',
              {
                complete: false,
                options: { count, every, concurrency, layout, workerEnv, workerNodeOptions },
                done: progress.done,
                flatness: judgeFlatness(samples, progress.done),
                outcomes: progress.outcomes,
                samples,
              },
              machine,
            ).catch(() => undefined);
          if (samples.length % 10 === 1 || progress.done === count)
            log(
              `${progress.done} OS: PSS ${sample.pss_mb} MB (Node ${sample.node_pss_mb}), ${sample.processes} processes, errors ${progress.outcomes.error}`,
            );
        },
      },
    );
  } finally {
    await simulator.close();
  }

  const flatness = judgeFlatness(samples, count);
  const seconds = samples.at(-1)!.at_s;
  // About twelve evenly spread readings for the table; the JSON keeps them all.
  const stride = Math.max(1, Math.round(samples.length / 12));
  const shown = samples.filter((_, index) => index % stride === 0 || index === samples.length - 1);
  printTable(
    [
      { title: 'OS done', value: (s: MemorySample) => s.done },
      { title: 'time s', value: (s) => s.at_s, digits: 0 },
      { title: 'PSS MB (Node + Chromium)', value: (s) => s.pss_mb, digits: 0 },
      { title: 'Node PSS MB', value: (s) => s.node_pss_mb, digits: 0 },
      { title: 'RSS sum MB', value: (s) => s.rss_mb, digits: 0 },
      { title: 'processes', value: (s) => s.processes },
    ],
    shown,
    `browser-soak (layout ${layout}): ${count} OS through our browser path, concurrency ${concurrency}, ${machine.cores} cores (${machine.cpuModel}), ${machine.chromium ?? 'no Chromium'}, Node ${machine.node}`,
  );
  const [q1, q2, q3, q4] = flatness.quarter_means_mb;
  printTable(
    [
      {
        title: 'first / middle / last PSS MB',
        value: () =>
          `${flatness.first_pss_mb} / ${flatness.middle_pss_mb} / ${flatness.last_pss_mb}`,
      },
      { title: 'quarter means MB', value: () => `${q1} / ${q2} / ${q3} / ${q4}` },
      {
        title: 'slope after warm-up MB / 1,000 OS',
        value: () => flatness.slope_mb_per_1000_os,
        digits: 2,
      },
      { title: 'Q4 vs Q2', value: () => `${(flatness.change_q2_to_q4 * 100).toFixed(1)} %` },
      { title: 'flat', value: () => (flatness.flat ? 'yes' : 'no') },
      { title: 'OS/s', value: () => count / seconds, digits: 1 },
      {
        title: 'ok / not found / errors',
        value: () =>
          `${report.outcomes.ok} / ${report.outcomes.not_found} / ${report.outcomes.error}`,
      },
    ],
    [{}],
  );
  process.stdout.write(`\n${flatness.rule}\n`);
  for (const error of report.errors) process.stdout.write(`error: ${error}\n`);
  const path = await writeResults(
    'browser-soak',
    {
      complete: true,
      options: {
        count,
        every,
        concurrency,
        layout,
        workerEnv,
        workerNodeOptions,
        simulator: simulatorOptions,
      },
      flatness,
      os_per_second: Math.round((count / seconds) * 10) / 10,
      outcomes: report.outcomes,
      errors: report.errors,
      load_average: {
        min: Math.min(...loadAverages),
        max: Math.max(...loadAverages),
      },
      notes: report.notes,
      samples,
    },
    machine,
  );
  process.stdout.write(`\nwrote ${path}\n`);
  return report.outcomes.error > 0 ? 1 : 0;
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
