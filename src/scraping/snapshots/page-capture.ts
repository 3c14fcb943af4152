import { AsyncLocalStorage } from 'node:async_hooks';
import type { Page } from 'playwright';
import { withTimeout } from '../../common/with-timeout.js';
import type { ScrapePath } from '../../stats/scrape-outcome.js';

/**
 * The last page each path read for one OS, kept while that OS is scraped so that a failure can
 * be shown to the person who writes the profile (failure snapshots, `profile:try`). The paths
 * call `capturePage` / `captureBrowserPage`; outside `withPageCapture` those calls do nothing,
 * so a scrape that nobody watches pays nothing.
 */

export interface CapturedPage {
  path: ScrapePath;
  html: string;
  url?: string;
  status?: number;
  /** JSON the HTTP path loaded for the page (its side requests). */
  sideResponses?: Record<string, unknown>;
  /** PNG of the viewport, from a browser path. */
  screenshot?: Buffer;
}

export interface CaptureOptions {
  /** Take the browser's HTML and screenshot after every read, not only after a failed one. */
  everyBrowserPage?: boolean;
}

interface CaptureStore {
  options: CaptureOptions;
  pages: Map<ScrapePath, CapturedPage>;
  last?: CapturedPage;
  secrets: Set<string>;
}

const storage = new AsyncLocalStorage<CaptureStore>();

/** Longest wait for the browser to hand over its HTML or a screenshot. */
const BROWSER_CAPTURE_MS = 2_000;

export interface CaptureResult<T> {
  value: T;
  /** The last page read, on whichever path. */
  last?: CapturedPage;
  /** The last page of each path. */
  pages: Map<ScrapePath, CapturedPage>;
  /** Cookie values of the sessions used: never stored with a page. */
  secrets: string[];
}

/** Runs `fn` keeping the pages its paths read. */
export async function withPageCapture<T>(
  options: CaptureOptions,
  fn: () => Promise<T>,
): Promise<CaptureResult<T>> {
  const store: CaptureStore = { options, pages: new Map(), secrets: new Set() };
  const value = await storage.run(store, fn);
  return { value, last: store.last, pages: store.pages, secrets: [...store.secrets] };
}

/** Notes the session's cookie values, to scrub them from any page kept. */
export function captureSecrets(values: readonly string[]): void {
  const store = storage.getStore();
  if (store) for (const value of values) store.secrets.add(value);
}

/** Keeps a page the HTTP path read (its text is already in memory: no copy). */
export function capturePage(page: CapturedPage): void {
  const store = storage.getStore();
  if (!store) return;
  store.pages.set(page.path, page);
  store.last = page;
}

/**
 * Keeps a browser page's HTML and screenshot: after a failed read, or after every read when
 * asked. Never throws: a page that cannot be captured (a crashed tab) is simply not kept.
 */
export async function captureBrowserPage(
  path: ScrapePath,
  page: Page,
  failed: boolean,
): Promise<void> {
  const store = storage.getStore();
  if (!store || (!failed && !store.options.everyBrowserPage)) return;
  try {
    const html = await withTimeout(page.content(), BROWSER_CAPTURE_MS, 'page.content');
    const screenshot = await withTimeout(
      page.screenshot({ type: 'png', timeout: BROWSER_CAPTURE_MS }),
      BROWSER_CAPTURE_MS,
      'page.screenshot',
    ).catch(() => undefined);
    captureSecrets((await page.context().cookies()).map((cookie) => cookie.value));
    capturePage({ path, html, url: page.url(), screenshot });
  } catch {
    // Nothing to keep from a page that no longer answers.
  }
}
