import { prepareCrawleeTarget } from './crawlee-target.js';
import { quietCrawlerOptions, setUpCrawlee } from './crawlee-setup.js';
import type { Runner } from './runner-types.js';

/**
 * Crawlee's `CheerioCrawler` doing what our HTTP path does: the detail page with the session
 * cookie, the JSON side request with `sendRequest`, and our extractor on both.
 */
export const cheerioRunner: Runner = async (input, tracker) => {
  const target = await prepareCrawleeTarget(input);
  const { crawlee, config, cleanup } = await setUpCrawlee();
  try {
    const headers = { cookie: target.cookieHeader };
    const crawler = new crawlee.CheerioCrawler(
      {
        ...quietCrawlerOptions(input.concurrency),
        navigationTimeoutSecs: 15,
        async requestHandler({ request, body, sendRequest }) {
          const osNumber = request.userData.os as string;
          const html = body.toString();
          const sideResponses: Record<string, unknown> = {};
          for (const side of target.sideRequests(html, osNumber)) {
            const response = await sendRequest({
              url: side.url,
              headers: { ...headers, accept: 'application/json' },
            });
            sideResponses[side.name] = JSON.parse(response.body);
          }
          tracker.record(osNumber, target.extract(html, sideResponses));
        },
        failedRequestHandler({ request }, error) {
          tracker.record(request.userData.os as string, { kind: 'error', message: error.message });
        },
      },
      config,
    );
    tracker.begin();
    await crawler.run(
      input.numbers.map((os) => ({
        url: target.lookupUrl(os),
        uniqueKey: os,
        userData: { os },
        headers,
      })),
    );
    return { crawlee_stats: crawler.stats.calculate() };
  } finally {
    await cleanup();
  }
};
