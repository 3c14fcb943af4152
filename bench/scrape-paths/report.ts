import type { Column, TreeMemory } from '../lib/index.js';
import { RUNNER_LABELS, type RunnerName, type RunnerReport } from './runner-types.js';
import type { Verdict } from './truth.js';

const MB = 1024 * 1024;

/** One line of the table (and of the JSON). */
export interface Row {
  runner: RunnerName;
  engine: string;
  what: string;
  warmup: number;
  measured: number;
  seconds: number;
  osPerSecond: number;
  cpuMsPerOs: number;
  cpuMsPerOsNode: number;
  cpuMsPerOsChromium: number;
  peakRssMb: number;
  peakRssNodeMb: number;
  peakRssChromiumMb: number;
  chromiumProcessesAtPeak: number;
  /**
   * PSS of Node + Chromium read by the parent at each tenth of the window (10 % to 90 %): the mean,
   * the lowest and highest reading, and the most processes seen. One reading is not enough: PSS is
   * a sawtooth as contexts and browsers are recycled.
   */
  pssMeanMb: number | null;
  pssMinMb: number | null;
  pssMaxMb: number | null;
  /** The mean of Node's own PSS over the same readings: the rest of `pssMeanMb` is Chromium's. */
  pssNodeMeanMb: number | null;
  pssReadings: number;
  processesMax: number | null;
  /** The machine's 1-minute load average when the runner started and ended (others' work shows here). */
  loadAverage: { before: number; after: number };
  mismatches: number;
  errors: number;
  examples: string[];
  notes: Record<string, unknown>;
}

export function toRow(
  report: RunnerReport,
  verdict: Verdict,
  loadAverage: Row['loadAverage'],
  memory: TreeMemory[] = [],
): Row {
  const pss = memory.map((reading) => reading.pssBytes / MB);
  const nodePss = memory.map((reading) => reading.rootPssBytes / MB);
  const mean = (values: number[]) =>
    values.length ? Math.round(values.reduce((sum, mb) => sum + mb, 0) / values.length) : null;
  const { window, peak } = report;
  return {
    runner: report.runner,
    ...RUNNER_LABELS[report.runner],
    warmup: report.warmup,
    measured: window.items,
    seconds: round(window.seconds, 2),
    osPerSecond: round(window.itemsPerSecond, 1),
    cpuMsPerOs: round(window.cpuMsPerItem, 1),
    cpuMsPerOsNode: round(window.cpu.selfMs / window.items, 1),
    cpuMsPerOsChromium: round(window.cpu.childMs / window.items, 1),
    peakRssMb: Math.round(peak.rssBytes / MB),
    peakRssNodeMb: Math.round(peak.selfRssBytes / MB),
    peakRssChromiumMb: Math.round(peak.childRssBytes / MB),
    chromiumProcessesAtPeak: peak.children,
    pssMeanMb: mean(pss),
    pssMinMb: pss.length ? Math.round(Math.min(...pss)) : null,
    pssMaxMb: pss.length ? Math.round(Math.max(...pss)) : null,
    pssNodeMeanMb: mean(nodePss),
    pssReadings: pss.length,
    processesMax: memory.length ? Math.max(...memory.map((reading) => reading.processes)) : null,
    loadAverage,
    mismatches: verdict.mismatches,
    errors: verdict.errors,
    examples: verdict.examples,
    notes: report.notes,
  };
}

export const COLUMNS: Column<Row>[] = [
  { title: 'runner', value: (row) => row.runner },
  { title: 'engine', value: (row) => row.engine },
  { title: 'OS', value: (row) => row.measured },
  { title: 'OS/s', value: (row) => row.osPerSecond, digits: 1 },
  { title: 'CPU-ms/OS', value: (row) => row.cpuMsPerOs, digits: 1 },
  {
    title: '(node + chromium)',
    value: (row) => `${row.cpuMsPerOsNode} + ${row.cpuMsPerOsChromium}`,
  },
  { title: 'peak RSS MB', value: (row) => row.peakRssMb },
  { title: '(node + chromium)', value: (row) => `${row.peakRssNodeMb} + ${row.peakRssChromiumMb}` },
  { title: 'PSS MB mean', value: (row) => row.pssMeanMb },
  {
    title: '(node + chromium)',
    value: (row) =>
      row.pssMeanMb === null || row.pssNodeMeanMb === null
        ? ''
        : `${row.pssNodeMeanMb} + ${row.pssMeanMb - row.pssNodeMeanMb}`,
  },
  {
    title: '(min–max)',
    value: (row) => (row.pssMeanMb === null ? '' : `${row.pssMinMb}–${row.pssMaxMb}`),
  },
  { title: 'mismatches', value: (row) => row.mismatches },
  {
    title: 'load avg',
    value: (row) => `${row.loadAverage.before.toFixed(1)}→${row.loadAverage.after.toFixed(1)}`,
  },
];

export interface Aim {
  aim: string;
  /** null: a runner it needs was not run (or failed). */
  met: boolean | null;
  detail: string;
}

/** The aims of issue 4, judged on this run's rows. */
export function judgeAims(rows: Row[]): Aim[] {
  const row = (name: RunnerName) => rows.find((candidate) => candidate.runner === name);
  const http = row('http');
  const cheerio = row('cheerio');
  const browser = row('browser');
  const playwright = row('playwright');
  const limit = row('limit');
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  return [
    {
      aim: 'HTTP path ≥ 100 OS/s',
      met: http ? http.osPerSecond >= 100 : null,
      detail: http ? `${http.osPerSecond} OS/s` : 'not run',
    },
    {
      aim: 'HTTP path faster than CheerioCrawler',
      met: http && cheerio ? http.osPerSecond > cheerio.osPerSecond : null,
      detail:
        http && cheerio
          ? `${http.osPerSecond} vs ${cheerio.osPerSecond} OS/s (${ratio(http.osPerSecond, cheerio.osPerSecond)}); CPU ${http.cpuMsPerOs} vs ${cheerio.cpuMsPerOs} ms/OS`
          : 'not run',
    },
    {
      aim: 'browser path ≥ 2.0× PlaywrightCrawler (OS/s)',
      met: browser && playwright ? browser.osPerSecond >= 2 * playwright.osPerSecond : null,
      detail:
        browser && playwright
          ? `${ratio(browser.osPerSecond, playwright.osPerSecond)}; CPU per OS ${ratio(browser.cpuMsPerOs, playwright.cpuMsPerOs)}`
          : 'not run',
    },
    {
      aim: 'browser path PSS (mean over the window) ≤ 1.0× PlaywrightCrawler',
      met:
        browser?.pssMeanMb && playwright?.pssMeanMb
          ? browser.pssMeanMb <= playwright.pssMeanMb
          : null,
      detail:
        browser?.pssMeanMb && playwright?.pssMeanMb
          ? `${browser.pssMeanMb} vs ${playwright.pssMeanMb} MB (${ratio(browser.pssMeanMb, playwright.pssMeanMb)})`
          : 'not run',
    },
    {
      aim: 'browser path ≥ 0.8× the limit runner (OS/s)',
      met: browser && limit ? browser.osPerSecond >= 0.8 * limit.osPerSecond : null,
      detail:
        browser && limit
          ? `${browser.osPerSecond} vs ${limit.osPerSecond} OS/s (${ratio(browser.osPerSecond, limit.osPerSecond)}); CPU ${browser.cpuMsPerOs} vs ${limit.cpuMsPerOs} ms/OS`
          : 'not run',
    },
    {
      aim: 'browser path faster than PlaywrightCrawler',
      met: browser && playwright ? browser.osPerSecond > playwright.osPerSecond : null,
      detail:
        browser && playwright
          ? `${browser.osPerSecond} vs ${playwright.osPerSecond} OS/s (${ratio(browser.osPerSecond, playwright.osPerSecond)}); CPU ${browser.cpuMsPerOs} vs ${playwright.cpuMsPerOs} ms/OS`
          : 'not run',
    },
    {
      aim: 'browser path uses less memory than PlaywrightCrawler',
      met: browser && playwright ? browser.peakRssMb < playwright.peakRssMb : null,
      detail:
        browser && playwright
          ? `peak RSS ${browser.peakRssMb} vs ${playwright.peakRssMb} MB (${ratio(browser.peakRssMb, playwright.peakRssMb)})`
          : 'not run',
    },
  ];
}

export function formatAims(aims: Aim[]): string {
  const mark = (met: boolean | null) => (met === null ? 'n/a   ' : met ? 'met   ' : 'MISSED');
  return aims.map((aim) => `${mark(aim.met)} ${aim.aim}: ${aim.detail}`).join('\n');
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
