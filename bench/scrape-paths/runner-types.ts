import { fileURLToPath } from 'node:url';
import type { PeakMemory, WindowResult } from '../lib/index.js';

/** Layout a of the simulator (OS by number in the URL, items by a JSON side request). */
export const PROFILE_PATH = fileURLToPath(
  new URL('../../profiles/erp-simulator.json', import.meta.url),
);

/** Our three paths and the two Crawlee crawlers set beside them. */
export const RUNNERS = ['http', 'cheerio', 'browser', 'playwright', 'robust'] as const;
export type RunnerName = (typeof RUNNERS)[number];

export const RUNNER_LABELS: Record<RunnerName, { engine: string; what: string }> = {
  http: { engine: 'ours', what: 'HTTP fast path (OsScraperService)' },
  cheerio: { engine: 'crawlee', what: 'CheerioCrawler + JSON side request' },
  browser: { engine: 'ours', what: 'browser path (pooled context, blocking)' },
  playwright: { engine: 'crawlee', what: 'PlaywrightCrawler (blockRequests)' },
  robust: { engine: 'ours', what: 'robust path (fresh context, nothing blocked)' },
};

/** What the orchestrator hands one runner process. */
export interface RunnerInput {
  runner: RunnerName;
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
