import { fileURLToPath } from 'node:url';
import type { PeakMemory, WindowResult } from '../lib/index.js';

/**
 * The simulator layouts the bench reads: `a` (OS by number in the URL, items by a JSON side
 * request) and `c` (script-only: script login, postback search, data rendered by script).
 */
export const LAYOUTS = ['a', 'c'] as const;
export type BenchLayout = (typeof LAYOUTS)[number];

export const PROFILE_PATHS: Record<BenchLayout, string> = {
  a: fileURLToPath(new URL('../../profiles/erp-simulator.json', import.meta.url)),
  c: fileURLToPath(new URL('../../profiles/erp-simulator-c.json', import.meta.url)),
};

/** Layout a's profile (the Crawlee runners read only that layout). */
export const PROFILE_PATH = PROFILE_PATHS.a;

/**
 * Our three paths, the two Crawlee crawlers set beside them, and `auto`: the product's own
 * choice of path (`OsScraperService.scrape`, learning per target).
 */
export const RUNNERS = [
  'http',
  'cheerio',
  'browser',
  'playwright',
  'limit',
  'robust',
  'auto',
] as const;
export type RunnerName = (typeof RUNNERS)[number];

export const RUNNER_LABELS: Record<RunnerName, { engine: string; what: string }> = {
  http: { engine: 'ours', what: 'HTTP fast path (OsScraperService)' },
  cheerio: { engine: 'crawlee', what: 'CheerioCrawler + JSON side request' },
  browser: { engine: 'ours', what: 'browser path (pooled context, blocking)' },
  playwright: { engine: 'crawlee', what: 'PlaywrightCrawler (blockRequests)' },
  limit: { engine: 'raw', what: 'bare Playwright at the limit (warm pages, CDP blocking)' },
  robust: { engine: 'ours', what: 'robust path (fresh context, nothing blocked)' },
  auto: { engine: 'ours', what: 'paths chosen by the service (learnt per target)' },
};

/** What the orchestrator hands one runner process. */
export interface RunnerInput {
  runner: RunnerName;
  layout: BenchLayout;
  simulatorUrl: string;
  /** Warm-up numbers first, then the measured ones. */
  numbers: string[];
  warmup: number;
  concurrency: number;
  /** Extra environment for our worker (e.g. `SCRAPER_MAX_CONTEXTS`), to try engine settings. */
  workerEnv: Record<string, string>;
}

/** What one read gave: the data, the target's "no such OS", or an error. */
export type ReadOutcome =
  | { kind: 'ok'; data: Record<string, unknown> }
  | { kind: 'not_found' }
  | { kind: 'error'; message: string };

export interface RunnerReport {
  runner: RunnerName;
  warmup: number;
  window: WindowResult;
  peak: PeakMemory;
  outcomes: Record<string, ReadOutcome>;
  /** Counters of the engine (logins, browser launches, blocked requests…). */
  notes: Record<string, unknown>;
}

/** How a runner reports progress to the harness. */
export interface RunTracker {
  /** Call right before the first OS is read. */
  begin(): void;
  /** Call once per OS when its final outcome is known. */
  record(osNumber: string, outcome: ReadOutcome): void;
}

export type Runner = (input: RunnerInput, tracker: RunTracker) => Promise<Record<string, unknown>>;
