import type { Page } from 'playwright';
import type { PageContext } from '../extractor/page-classifier.js';

/**
 * The status and final URL of the document a browser page shows, for the extractor's status and
 * URL patterns: the same facts the HTTP path has. The status comes from the page's own
 * navigation timing (`responseStatus`), so no navigation needs to be watched.
 */
export async function browserPageContext(page: Page): Promise<PageContext> {
  const status = await page
    .evaluate(() => {
      const entry = performance.getEntriesByType('navigation')[0] as
        (PerformanceEntry & { responseStatus?: number }) | undefined;
      return entry?.responseStatus;
    })
    .catch(() => undefined);
  return { url: page.url(), status: status && status > 0 ? status : undefined };
}
