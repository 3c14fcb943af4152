/**
 * Rewrites the performance table of README.md (between its `bench:start`/`bench:end` markers)
 * from the JSON of the last benchmark runs, with the machine and the date.
 *
 *   npx tsx bench/readme-table.ts
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AppConfig } from '../src/config/app-config.js';
import { BATCH_1000_LIMITS, thousandOsWithDefaults } from './lib/batch-1000-settings.js';
import type { MachineInfo } from './lib/index.js';
import { RESULTS_DIR } from './lib/index.js';

const README = fileURLToPath(new URL('../README.md', import.meta.url));
const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';

interface ResultFile<T> {
  date: string;
  machine: MachineInfo;
  result: T;
}

interface PathRow {
  runner: string;
  engine: string;
  osPerSecond: number;
  cpuMsPerOs: number;
  peakRssMb: number;
  /** PSS mean over the window (older results: one reading halfway, `midRunPssMb`). */
  pssMeanMb?: number | null;
  midRunPssMb?: number | null;
  mismatches: number;
  /** The runner's counters; `auto` adds its path choice and the paths that read each OS. */
  notes?: {
    path_choice?: { http_attempts_wasted?: number; browser_reads?: number };
    read_by_path?: Record<string, number>;
  };
}

interface Batch1000 {
  os: number;
  latency_ms: number;
  ideal_s: number;
  wall_s: number;
  ratio: number;
  os_per_minute: number;
  single_os_s: number;
  requests_per_os: number;
}

interface DashboardEndpoint {
  endpoint: string;
  cache?: 'on' | 'off';
  p50_ms: number;
  p95_ms: number;
}

interface DashboardScale {
  rows_seeded: number;
  endpoints: DashboardEndpoint[];
}

/** One scale (earlier runs) or several (1 M and 10 M rows). */
type Dashboard = DashboardScale | { scales: DashboardScale[] };

interface ScaleOutRun {
  mode: 'uncapped' | 'capped';
  workers: number;
  target_max_concurrency: number;
  os_per_s: number;
  ratio: number;
  cap_os_per_s: number | null;
  peak_in_flight: number;
  service_cores: number;
  machine_busy_cores: number;
}

interface ScaleOut {
  latency_ms: number;
  runs: ScaleOutRun[];
}

function load<T>(name: string): ResultFile<T> | null {
  const path = `${RESULTS_DIR}${name}.json`;
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as ResultFile<T>) : null;
}

const fmt = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const minutes = (seconds: number) =>
  seconds >= 120 ? `${fmt(seconds / 60, 1)} min` : `${fmt(seconds, 1)} s`;

/** Per 1000 OS of the `auto` runner: HTTP reads wasted and browser reads (from its path choice). */
function autoFigures(
  rows: PathRow[],
): { httpWastedPer1000: number; browserReadsPer1000: number } | null {
  const auto = rows.find((entry) => entry.runner === 'auto');
  const choice = auto?.notes?.path_choice;
  const total = Object.values(auto?.notes?.read_by_path ?? {}).reduce((a, b) => a + b, 0);
  if (!choice || total === 0) return null;
  return {
    httpWastedPer1000: ((choice.http_attempts_wasted ?? 0) / total) * 1000,
    browserReadsPer1000: ((choice.browser_reads ?? 0) / total) * 1000,
  };
}

type RowWriter = (figure: string, value: string, anchor: string, ratio: string) => void;

/** One runner beside another, by rate, CPU and peak RSS. */
function compare(row: RowWriter, label: string, a: PathRow, b: PathRow): void {
  row(
    `${label}: OS/s`,
    fmt(a.osPerSecond, 1),
    `${fmt(b.osPerSecond, 1)} (Crawlee)`,
    `${fmt(a.osPerSecond / b.osPerSecond, 2)}×`,
  );
  row(
    `${label}: CPU ms per OS`,
    fmt(a.cpuMsPerOs, 1),
    `${fmt(b.cpuMsPerOs, 1)} (Crawlee)`,
    `${fmt(a.cpuMsPerOs / b.cpuMsPerOs, 2)}×`,
  );
  row(
    `${label}: peak RSS (Node + Chromium)`,
    `${fmt(a.peakRssMb)} MB`,
    `${fmt(b.peakRssMb)} MB (Crawlee)`,
    `${fmt(a.peakRssMb / b.peakRssMb, 2)}×`,
  );
}

/** Our browser path beside PlaywrightCrawler (rate, CPU, memory) and the limit runner. */
function browserRows(row: RowWriter, rows: PathRow[], layout: string): void {
  const by = (runner: string) => rows.find((entry) => entry.runner === runner);
  const browser = by('browser');
  const playwright = by('playwright');
  const label = `browser path vs Crawlee PlaywrightCrawler${layout}`;
  if (browser && playwright) compare(row, label, browser, playwright);
  const browserPss = browser?.pssMeanMb ?? browser?.midRunPssMb;
  const playwrightPss = playwright?.pssMeanMb ?? playwright?.midRunPssMb;
  if (browserPss && playwrightPss)
    row(
      `${label}: PSS ${browser?.pssMeanMb ? 'mean over the window' : 'mid-run'} (Node + Chromium)`,
      `${fmt(browserPss)} MB`,
      `${fmt(playwrightPss)} MB (Crawlee)`,
      `${fmt(browserPss / playwrightPss, 2)}× (aim ≤ 1.0×)`,
    );
  const limit = by('limit');
  if (browser && limit)
    row(
      `browser path vs the limit runner (bare Playwright, warm pages, blocking in Chromium)${layout}: OS/s`,
      fmt(browser.osPerSecond, 1),
      `${fmt(limit.osPerSecond, 1)} (limit)`,
      `${fmt(browser.osPerSecond / limit.osPerSecond, 2)}× (aim ≥ 0.8×)`,
    );
}

export function renderTable(): string {
  const lines: string[] = [];
  const row: RowWriter = (figure, value, anchor, ratio) =>
    lines.push(`| ${figure} | ${value} | ${anchor} | ${ratio} |`);
  lines.push('| figure | ours | anchor | ratio |', '| --- | --- | --- | --- |');
  const machines: Array<{ name: string; date: string; machine: MachineInfo }> = [];

  const paths = load<{ rows: PathRow[] }>('scrape-paths');
  if (paths) {
    machines.push({ name: 'scrape-paths', ...paths });
    const by = (runner: string) => paths.result.rows.find((entry) => entry.runner === runner);
    const http = by('http');
    const cheerio = by('cheerio');
    if (http && cheerio) compare(row, 'HTTP fast path vs Crawlee CheerioCrawler', http, cheerio);
    browserRows(row, paths.result.rows, '');
    const robust = by('robust');
    if (robust)
      row('robust path: OS/s (nothing blocked, full load)', fmt(robust.osPerSecond, 1), '—', '—');
  }

  // The script-only layout (c): our browser path beside Crawlee's, and what `auto` wasted.
  const scriptOnly = load<{ rows: PathRow[] }>('scrape-paths-c');
  if (scriptOnly) {
    machines.push({ name: 'scrape-paths-c', ...scriptOnly });
    browserRows(row, scriptOnly.result.rows, ', script-only layout c');
    const wasted = autoFigures(scriptOnly.result.rows);
    if (wasted)
      row(
        'auto on layout c: HTTP reads wasted per 1000 OS',
        fmt(wasted.httpWastedPer1000, 1),
        '< 50 (aim: under 5%)',
        wasted.httpWastedPer1000 < 50 ? 'met' : 'missed',
      );
  }
  const autoA = load<{ rows: PathRow[] }>('scrape-paths-a-auto');
  if (autoA) {
    machines.push({ name: 'scrape-paths-a-auto', ...autoA });
    const figures = autoFigures(autoA.result.rows);
    if (figures)
      row(
        'auto on layout a (HTTP works): browser reads per 1000 OS',
        fmt(figures.browserReadsPer1000, 1),
        '0 (aim)',
        figures.browserReadsPer1000 === 0 ? 'met' : 'missed',
      );
  }

  const batch = load<Batch1000>('batch-1000');
  if (batch) {
    machines.push({ name: 'batch-1000', ...batch });
    const r = batch.result;
    row(
      `1 OS on demand (API → queue → worker → target at ${r.latency_ms} ms → result)`,
      `${fmt(r.single_os_s, 2)} s`,
      '1–2 min (original)',
      `${fmt(90 / r.single_os_s)}× faster`,
    );
    row(
      `${fmt(r.os)} OS in batches of 100, target at ${r.latency_ms} ms/request`,
      minutes(r.wall_s),
      `ideal ${minutes(r.ideal_s)}`,
      `${fmt(r.ratio, 3)} (aim ≤ 1.15)`,
    );
    const lifted = Object.entries(BATCH_1000_LIMITS)
      .filter(([name]) => name !== 'BATCH_GROUP_SIZE')
      .map(([name, value]) => `${name}=${value}${value === 0 ? ' (no limit)' : ''}`)
      .join(', ');
    row(
      `1000 OS (same rate), limits lifted: ${lifted}`,
      minutes((r.wall_s / r.os) * 1000),
      '5–10 h (original)',
      `${fmt((7.5 * 3600) / ((r.wall_s / r.os) * 1000))}× faster`,
    );
    row(
      '100 OS (same rate, same lifted limits)',
      minutes((r.wall_s / r.os) * 100),
      '30–60 min (original)',
      `${fmt((45 * 60) / ((r.wall_s / r.os) * 100))}× faster`,
    );
    // The same strategy by one user under the shipped defaults: computed from this run.
    const defaults = new AppConfig();
    const shipped = thousandOsWithDefaults(r, defaults);
    row(
      `1000 OS by one user with the shipped defaults (RATE_LIMIT_BATCHES_PER_HOUR=${defaults.RATE_LIMIT_BATCHES_PER_HOUR}: ` +
        `${shipped.batches} batches wait ${shipped.waitedHours} h; TARGET_MAX_RPS=${defaults.TARGET_MAX_RPS} ` +
        `${shipped.rpsBinding ? 'slows each batch' : `not reached (${fmt(shipped.neededRps, 1)}/s)`}); computed from the run above, not measured`,
      `${fmt(shipped.seconds / 3600, 1)} h`,
      '5–10 h (original)',
      `${fmt((7.5 * 3600) / shipped.seconds, 1)}× faster`,
    );
  }

  const dashboard = load<Dashboard>('dashboard');
  if (dashboard) {
    machines.push({ name: 'dashboard', ...dashboard });
    const scales = 'scales' in dashboard.result ? dashboard.result.scales : [dashboard.result];
    const largest = scales.reduce((a, b) => (b.rows_seeded > a.rows_seeded ? b : a));
    const smaller = scales.filter((scale) => scale !== largest);
    for (const endpoint of largest.endpoints) {
      const aim = endpoint.cache === 'on' && smaller.length > 0 ? 50 : 200;
      const beside = smaller
        .map((scale) => {
          const same = scale.endpoints.find(
            (e) => e.endpoint === endpoint.endpoint && e.cache === endpoint.cache,
          );
          return same
            ? `${fmt(scale.rows_seeded / 1e6)} M rows: ${fmt(same.p50_ms)} / ${fmt(same.p95_ms)} ms; `
            : '';
        })
        .join('');
      const state =
        smaller.length > 0
          ? endpoint.cache === 'off'
            ? ', cold (nothing cached)'
            : ', warm'
          : endpoint.cache === 'off'
            ? ', nothing cached'
            : '';
      row(
        `${endpoint.endpoint}${state}, ${fmt(largest.rows_seeded)} usage rows: p50 / p95`,
        `${fmt(endpoint.p50_ms)} / ${fmt(endpoint.p95_ms)} ms`,
        `${beside}p95 ≤ ${aim} ms (aim)`,
        endpoint.p95_ms <= aim ? 'met' : `missed (${fmt(endpoint.p95_ms / aim, 1)}×)`,
      );
    }
  }

  const scaleOut = load<ScaleOut>('scale-out');
  if (scaleOut) {
    machines.push({ name: 'scale-out', ...scaleOut });
    const r = scaleOut.result;
    for (const run of r.runs) {
      const one = r.runs.find((other) => other.mode === run.mode && other.workers === 1);
      const label = `${run.workers} worker${run.workers > 1 ? 's' : ''} + 1 api, target at ${r.latency_ms} ms`;
      if (run.mode === 'uncapped')
        row(
          `scale-out, ${label}, caps raised: OS/s (cores: service ${fmt(run.service_cores, 2)}, machine ${fmt(run.machine_busy_cores, 2)})`,
          fmt(run.os_per_s, 1),
          one ? `${run.workers} × ${fmt(one.os_per_s, 1)} (1 worker)` : '—',
          `${fmt(run.ratio, 2)}${run.workers === 2 ? ' (aim ≥ 0.9)' : ''}`,
        );
      else
        row(
          `scale-out, ${label}, TARGET_MAX_CONCURRENCY ${run.target_max_concurrency}: OS/s (peak in flight at target ${run.peak_in_flight})`,
          fmt(run.os_per_s, 1),
          `cap: ${fmt(run.cap_os_per_s ?? 0, 1)}`,
          `${fmt(run.os_per_s / (run.cap_os_per_s ?? 1), 2)} of the cap`,
        );
    }
  }

  // Runs made on different machines are named with theirs: ratios compare only within a run.
  const describe = (machine: MachineInfo) =>
    `${machine.cpuModel}, ${machine.cores} cores, ${fmt(machine.ramGiB, 1)} GiB, Node ${machine.node}, ${machine.chromium}`;
  const groups = new Map<string, string[]>();
  for (const entry of machines) {
    const key = describe(entry.machine);
    groups.set(key, [...(groups.get(key) ?? []), `${entry.name} ${entry.date.slice(0, 10)}`]);
  }
  const measuredOn = [...groups].map(([machine, runs]) => `${machine} (${runs.join(', ')})`);
  lines.push(
    '',
    measuredOn.length > 0
      ? `Measured on ${measuredOn.join('; ')}. ` +
          'Timings on a shared 2-core machine are noisy: compare ratios within one run.'
      : 'No benchmark results yet: run `npm run bench`.',
  );
  return lines.join('\n');
}

export function rewriteReadme(): void {
  const readme = readFileSync(README, 'utf8');
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${START} … ${END} section`);
  writeFileSync(
    README,
    `${readme.slice(0, start + START.length)}\n${renderTable()}\n${readme.slice(end)}`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  rewriteReadme();
  console.log('README.md performance table rewritten');
}
