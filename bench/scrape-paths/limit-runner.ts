import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Page } from 'playwright';
import { CHROMIUM_ARGS } from '../../src/scraping/browser/chromium-launch.js';
import { mapConcurrently } from '../lib/index.js';
import { prepareCrawleeTarget } from './crawlee-target.js';
import type { ReadOutcome, Runner } from './runner-types.js';

/** CDP resource types the profile's `block.resource_types` name (Playwright's names). */
const CDP_TYPES: Record<string, string> = {
  image: 'Image',
  font: 'Font',
  media: 'Media',
  stylesheet: 'Stylesheet',
};

/**
 * How close to the machine's limit a browser can read the target: raw Playwright, one logged-in
 * context with its cookies set once, one page per slot opened before the window and kept,
 * images/fonts/media/CSS and the third-party script failed inside Chromium (CDP `Fetch` with
 * patterns, so only the blocked requests reach Node), DOMContentLoaded, the items table, then our
 * extractor on `page.content()` (on script-only layout c: the search form, the script result link,
 * the rendered data and `settle_ms`, `script-only-steps.ts`). No retries, no sessions to lease, no politeness: the yardstick.
 * Chromium's flags are the service's (`CHROMIUM_ARGS`), as for every browser runner.
 */
export const limitRunner: Runner = async (input, tracker) => {
  const target = await prepareCrawleeTarget(input);
  const waitFor = target.profile.wait_for?.selector;
  // BENCH_LIMIT_EXTRACT=page: our extractor bundled for the page, run there (one evaluate).
  const inPage =
    process.env.BENCH_LIMIT_EXTRACT === 'page' ? await inPageExtractor(target.profile) : undefined;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  // BENCH_LIMIT_CONTEXTS=slot: a context per slot (as our path keeps one per session), to
  // measure what Chromium charges for contexts that cannot share a renderer.
  const contextPerSlot = process.env.BENCH_LIMIT_CONTEXTS === 'slot';
  let blocked = 0;
  try {
    const newContext = async () => {
      const context = await browser.newContext({ serviceWorkers: 'block' });
      await context.addCookies(target.browserCookies);
      if (inPage) await context.addInitScript(inPage.define);
      return context;
    };
    const shared = contextPerSlot ? undefined : await newContext();
    const patterns = [
      ...target.profile.block.resource_types
        .filter((type) => CDP_TYPES[type])
        .map((type) => ({ resourceType: CDP_TYPES[type], requestStage: 'Request' })),
      ...target.profile.block.url_patterns.map((glob) => ({
        urlPattern: glob.replace(/\*\*/g, '*'),
        requestStage: 'Request',
      })),
    ];
    const pages: Page[] = [];
    for (let slot = 0; slot < input.concurrency; slot++) {
      const context = shared ?? (await newContext());
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      cdp.on('Fetch.requestPaused', (event: { requestId: string }) => {
        blocked += 1;
        void cdp
          .send('Fetch.failRequest', { requestId: event.requestId, errorReason: 'BlockedByClient' })
          .catch(() => undefined);
      });
      await cdp.send('Fetch.enable', { patterns } as never);
      pages.push(page);
    }
    const free = [...pages];
    const read = async (osNumber: string): Promise<ReadOutcome> => {
      const page = free.pop()!;
      try {
        await page.goto(target.lookupUrl(osNumber), {
          waitUntil: 'domcontentloaded',
          timeout: 15_000,
        });
        if (target.scriptOnly) return target.extract(await target.scriptOnly(page, osNumber));
        if (waitFor)
          await page
            .waitForSelector(waitFor, { state: 'attached', timeout: 15_000 })
            .catch(() => undefined);
        if (inPage === undefined) return target.extract(await page.content());
        return target.outcomeOf(await page.evaluate(inPage.call));
      } finally {
        free.push(page);
      }
    };
    tracker.begin();
    await mapConcurrently(input.numbers, input.concurrency, async (osNumber) => {
      tracker.record(
        osNumber,
        await read(osNumber).catch((error: unknown): ReadOutcome => ({
          kind: 'error',
          message: String(error),
        })),
      );
    });
    return { blocked_in_chromium: blocked, contexts: contextPerSlot ? input.concurrency : 1 };
  } finally {
    await browser.close();
  }
};

/**
 * Our extractor bundled for the page: `define` (an init script, so every document has it) and
 * `call` (the expression one `evaluate` runs).
 */
async function inPageExtractor(profile: unknown): Promise<{ define: string; call: string }> {
  const entry = fileURLToPath(
    new URL('../../src/scraping/extractor/order-extractor.ts', import.meta.url),
  );
  const result = await build({
    stdin: {
      contents: `import { extractOrder } from ${JSON.stringify(entry)};
globalThis.__rosExtract = (profile) => extractOrder(document.documentElement.outerHTML, profile, {}, {});`,
      resolveDir: process.cwd(),
      loader: 'ts',
    },
    bundle: true,
    platform: 'browser',
    format: 'iife',
    minify: true,
    write: false,
  });
  const source = result.outputFiles[0]!.text;
  return { define: source, call: `globalThis.__rosExtract(${JSON.stringify(profile)})` };
}
