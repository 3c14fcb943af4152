import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright';
import { CHROMIUM_ARGS } from '../../src/scraping/browser/chromium-launch.js';
import { prepareCrawleeTarget } from './crawlee-target.js';
import { quietCrawlerOptions, setUpCrawlee } from './crawlee-setup.js';
import type { Runner } from './runner-types.js';

/** Our browser pool's default `SCRAPER_BROWSER_MAX_PAGES`, so both recycle Chromium alike. */
const BROWSER_MAX_PAGES = 500;

/**
 * Crawlee's `PlaywrightCrawler` doing what our browser path does, on Debian's Chromium: the
 * session cookie in the context, images/fonts/CSS and the third-party script blocked (Crawlee's
 * `blockRequests`), DOMContentLoaded, then the items table, then our extractor on
 * `page.content()`.
 */
export const playwrightRunner: Runner = async (input, tracker) => {
  const target = await prepareCrawleeTarget(input);
  const { crawlee, config, dir, cleanup } = await setUpCrawlee();
  const waitFor = target.profile.wait_for?.selector;
  const withCookies = new WeakSet<BrowserContext>();
  // The profile's URL globs (`**/third-party/**`) as the substrings `blockRequests` matches.
  const extraUrlPatterns = target.profile.block.url_patterns.map((glob) =>
    glob.replace(/\*+/g, ''),
  );
  try {
    const crawler = new crawlee.PlaywrightCrawler(
      {
        ...quietCrawlerOptions(input.concurrency),
        launchContext: {
          launcher: chromium,
          userDataDir: join(dir, 'chromium-profile'),
          launchOptions: {
            executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
            headless: true,
            // The service's own flags: both sides of the comparison run the same Chromium.
            args: CHROMIUM_ARGS,
          },
        },
        browserPoolOptions: {
          useFingerprints: false,
          retireBrowserAfterPageCount: BROWSER_MAX_PAGES,
        },
        navigationTimeoutSecs: 15,
        preNavigationHooks: [
          async ({ page, blockRequests }, gotoOptions) => {
            if (gotoOptions) gotoOptions.waitUntil = 'domcontentloaded';
            await blockRequests({ extraUrlPatterns });
            const context = page.context();
            if (!withCookies.has(context)) {
              await context.addCookies(target.browserCookies);
              withCookies.add(context);
            }
          },
        ],
        async requestHandler({ request, page }) {
          const os = request.userData.os as string;
          if (target.scriptOnly) {
            tracker.record(os, target.extract(await target.scriptOnly(page, os)));
            return;
          }
          if (waitFor) {
            await page
              .waitForSelector(waitFor, { state: 'attached', timeout: 15_000 })
              .catch(() => undefined);
          }
          tracker.record(request.userData.os as string, target.extract(await page.content()));
        },
        failedRequestHandler({ request }, error) {
          tracker.record(request.userData.os as string, { kind: 'error', message: error.message });
        },
      },
      config,
    );
    tracker.begin();
    await crawler.run(
      input.numbers.map((os) => ({ url: target.lookupUrl(os), uniqueKey: os, userData: { os } })),
    );
    return { crawlee_stats: crawler.stats.calculate() };
  } finally {
    await cleanup();
  }
};
