import type { ScrapeOutcome, ScrapePath } from '../stats/scrape-outcome.js';
import type { ScrapeErrorCode } from './scrape-errors.js';

/** What reading one OS produced, before it is stored. */
export interface ScrapeResult {
  osNumber: string;
  outcome: ScrapeOutcome;
  /** The path that produced the outcome (the last one tried when it failed). */
  path: ScrapePath | null;
  /** Every try on every path. */
  attempts: number;
  durationMs: number;
  data?: Record<string, unknown>;
  errorCode?: ScrapeErrorCode;
  errorMessage?: string;
}

/** Who asked, for the usage statistics. */
export interface ScrapeContext {
  userId: string;
  batchId?: string | null;
  /** Aborts waits (circuit open, politeness) when the process shuts down. */
  signal?: AbortSignal;
}
