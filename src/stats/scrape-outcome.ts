/** How one OS ended: "not found" is an outcome, not an error. */
export const SCRAPE_OUTCOMES = ['success', 'not_found', 'failed'] as const;
export type ScrapeOutcome = (typeof SCRAPE_OUTCOMES)[number];

/** Which way of reading the target produced the outcome. */
export const SCRAPE_PATHS = ['http', 'browser', 'robust'] as const;
export type ScrapePath = (typeof SCRAPE_PATHS)[number];
