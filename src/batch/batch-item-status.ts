import type { ScrapeOutcome } from '../stats/scrape-outcome.js';

/** An OS of a batch: waiting, being read, or finished with an outcome (or cancelled). */
export type BatchItemStatus = 'pending' | 'running' | ScrapeOutcome | 'cancelled';

export const UNFINISHED_ITEM: readonly BatchItemStatus[] = ['pending', 'running'];
