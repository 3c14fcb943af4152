/**
 * How one OS ended: "not found" is an outcome, not an error; `forbidden` is the target saying the
 * OS exists but this account may not see it (never retried).
 */
export const SCRAPE_OUTCOMES = ['success', 'not_found', 'failed', 'forbidden'] as const;
export type ScrapeOutcome = (typeof SCRAPE_OUTCOMES)[number];

/** Which way of reading the target produced the outcome. */
export const SCRAPE_PATHS = ['http', 'browser', 'robust'] as const;
export type ScrapePath = (typeof SCRAPE_PATHS)[number];
