import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Page } from 'playwright';
import { withTimeout } from '../../common/with-timeout.js';
import { AppConfig } from '../../config/app-config.js';
import { BrowserPool } from '../browser/browser-pool.service.js';
import {
  lookAt,
  markDocument,
  markerOf,
  waitForQuietDom,
  watchPage,
  type PageMarker,
} from '../browser/page-markers.js';
import { waitForSelectors } from '../browser/wait-for-selectors.js';
import type { SearchLookup } from '../profile/target-profile.js';
import { targetUrl } from '../profile/target-url.js';
import { buildLookupRequest, type TargetRequest } from '../extractor/lookup-request.js';
import { extractOrder } from '../extractor/order-extractor.js';
import { parseSearchResult } from '../extractor/search-result-parser.js';
import { classifyPage } from '../extractor/page-classifier.js';
import {
  ScrapeError,
  SessionExpiredError,
  TargetUnavailableError,
  toScrapeError,
} from '../scrape-errors.js';
import type { SessionLease } from '../session/session-pool.service.js';
import { captureBrowserPage } from '../snapshots/page-capture.js';
import { TargetDefinition } from '../target/target-definition.js';
import { TargetPoliteness } from '../target/target-politeness.service.js';
import { browserPageContext } from './browser-page-context.js';
import { readingOf, type PathReading } from './path-reading.js';

interface PageRun {
  timeoutMs: number;
  waitUntil: 'domcontentloaded' | 'load';
}

/**
 * The browser paths. `browser`: a pooled context with the profile's blocking, 15 s timeouts.
 * `robust` (the original script's way): a fresh context, nothing blocked, full page load, 30 s.
 * Both use the session's cookies (the pooled context holds them from the session's first
 * scrape on) and read `page.content()` with the same extractor as the HTTP path.
 */
@Injectable()
export class BrowserPath {
  constructor(
    private readonly config: AppConfig,
    private readonly target: TargetDefinition,
    private readonly pool: BrowserPool,
    private readonly politeness: TargetPoliteness,
  ) {}

  /** A place among the browser's scrapes, taken before the session (`BrowserPool.admit`). */
  admit(signal?: AbortSignal): Promise<() => void> {
    return this.pool.admit(signal);
  }

  async read(osNumber: string, session: SessionLease, signal?: AbortSignal): Promise<PathReading> {
    const lease = await this.pool.lease({
      key: `${session.sessionId}:${JSON.stringify(session.cookies)}`,
      cookies: session.cookies.forBrowser(this.target.baseUrl),
    });
    let broken = true;
    try {
      const outcome = await this.readIn(lease.page, osNumber, signal, {
        timeoutMs: this.config.SCRAPER_PAGE_TIMEOUT_MS,
        waitUntil: 'domcontentloaded',
      });
      broken = false;
      await captureBrowserPage('browser', lease.page, false);
      return outcome;
    } catch (error) {
      await captureBrowserPage('browser', lease.page, true);
      // A page that failed for the target's reasons can be reused; a broken one cannot.
      const scrapeError = toScrapeError(error);
      // A page that timed out may still be running its script: it is not reused either.
      broken = ['browser_error', 'internal_error', 'timeout'].includes(scrapeError.code);
      throw scrapeError;
    } finally {
      lease.release(broken);
    }
  }

  async readRobust(
    osNumber: string,
    session: SessionLease,
    signal?: AbortSignal,
  ): Promise<PathReading> {
    return this.pool.withFreshContext(async (context) => {
      await context.addCookies(session.cookies.forBrowser(this.target.baseUrl));
      const page = await context.newPage();
      page.setDefaultTimeout(this.config.SCRAPER_ROBUST_TIMEOUT_MS);
      try {
        const outcome = await this.readIn(page, osNumber, signal, {
          timeoutMs: this.config.SCRAPER_ROBUST_TIMEOUT_MS,
          waitUntil: 'load',
        });
        await captureBrowserPage('robust', page, false);
        return outcome;
      } catch (error) {
        await captureBrowserPage('robust', page, true);
        throw error;
      }
    });
  }

  private async readIn(
    page: Page,
    osNumber: string,
    signal: AbortSignal | undefined,
    run: PageRun,
  ): Promise<PathReading> {
    const profile = this.target.profile;
    const lookup = profile.lookup;
    const { html, waitProblem } = await this.politeness.run(async () => {
      if (lookup.mode === 'search') {
        const result =
          lookup.form_selector !== undefined
            ? await this.searchInForm(page, lookup, osNumber, run)
            : await this.searchByPost(page, osNumber, run);
        if (result !== null) return { html: result, waitProblem: null };
      } else {
        await this.open(page, buildLookupRequest(profile, osNumber), run);
      }
      const waitProblem = await this.waitForContent(page, run);
      return { html: await this.content(page, run), waitProblem };
    }, signal);
    const extraction = extractOrder(html, profile, {}, await browserPageContext(page));
    // The page never showed what it should: unless it is complete anyway, say what was awaited.
    // Not retried on this path (the page answered, it never showed the marker): the next may.
    if (waitProblem && extraction.kind === 'ok' && extraction.missing.length > 0)
      throw new ScrapeError('timeout', waitProblem, false);
    return readingOf(extraction);
  }

  /**
   * A search with no form to fill: the form is posted from a blank page. Returns the result page
   * when it is final (not found), or null once the detail page is open.
   */
  private async searchByPost(page: Page, osNumber: string, run: PageRun): Promise<string | null> {
    await this.open(page, buildLookupRequest(this.target.profile, osNumber), run);
    return this.followResult(page, run);
  }

  /**
   * The search as a person does it: open the search page, type into the page's own form, click
   * `lookup.submit_selector` (or press Enter), wait for the result. Postback forms keep their
   * hidden state (`__VIEWSTATE` and the like) because their own form and script post it.
   */
  private async searchInForm(
    page: Page,
    lookup: SearchLookup,
    osNumber: string,
    run: PageRun,
  ): Promise<string | null> {
    const profile = this.target.profile;
    await this.open(page, { method: 'GET', url: targetUrl(profile, lookup.search_url) }, run);
    const form = page.locator(lookup.form_selector!).first();
    try {
      await form.waitFor({ state: 'attached', timeout: run.timeoutMs });
    } catch (error) {
      const kind = classifyPage(
        await this.content(page, run),
        profile,
        await browserPageContext(page),
      );
      if (kind === 'session_expired' || kind === 'login_page') throw new SessionExpiredError();
      throw new TargetUnavailableError(
        'timeout',
        `no search form (lookup.form_selector ${lookup.form_selector}) at ${lookup.search_url}: ${(error as Error).message.split('\n')[0]}`,
      );
    }
    // One look marks the document and notes what it already shows, so that the watch after the
    // submit knows what is new. The login form may be the same page form (WebForms): an ended
    // session shows here first.
    const markers = this.resultMarkers(lookup);
    const token = randomUUID();
    const before = (await lookAt(page, markers, token, { mark: true })).present;
    if (before.has('session_expired') || before.has('login_page')) throw new SessionExpiredError();
    const input = form.locator(`[name="${cssString(lookup.field)}"]`).first();
    await input.fill(osNumber, { timeout: run.timeoutMs });
    for (const [name, value] of Object.entries(lookup.extra_fields ?? {})) {
      await form
        .locator(`[name="${cssString(name)}"]`)
        .first()
        .evaluate(setFieldValue, value, { timeout: run.timeoutMs });
    }
    if (lookup.submit_selector) {
      await page
        .locator(lookup.submit_selector)
        .first()
        .click({ timeout: run.timeoutMs, noWaitAfter: true });
    } else {
      await input.press('Enter', { timeout: run.timeoutMs, noWaitAfter: true });
    }
    const shown = await watchPage(
      page,
      markers,
      run.timeoutMs,
      (seen) => {
        if (seen.newDocument && seen.readyState === 'loading') return null;
        for (const marker of markers)
          if (seen.present.has(marker.name) && (seen.newDocument || !before.has(marker.name)))
            return marker.name;
        return null;
      },
      token,
    );
    if (shown === null)
      throw new TargetUnavailableError(
        'timeout',
        `the search result never showed (any of: ${markers.flatMap((m) => m.selectors).join(' | ')}) within ${run.timeoutMs} ms`,
      );
    if (shown === 'detail') return null;
    return this.followResult(page, run);
  }

  /** What ends the wait after a search submit: a result link, "not found", a lost session, the OS itself. */
  private resultMarkers(lookup: SearchLookup): PageMarker[] {
    const profile = this.target.profile;
    return [
      { name: 'result', selectors: [lookup.result_link_selector], texts: [] },
      markerOf('not_found', profile.not_found),
      markerOf('session_expired', profile.login.session_expired),
      markerOf('login_page', profile.login.login_page),
      { name: 'detail', selectors: waitForSelectors(profile.wait_for), texts: [] },
    ];
  }

  /**
   * On a search result: the result page when it is final (not found), or null once the detail page
   * is open. A plain link is opened by URL; a script link (`javascript:__doPostBack(...)`, an
   * onclick) is clicked, as the page means it to be.
   */
  private async followResult(page: Page, run: PageRun): Promise<string | null> {
    const profile = this.target.profile;
    const lookup = profile.lookup as SearchLookup;
    const result = await this.content(page, run);
    const kind = classifyPage(result, profile, await browserPageContext(page));
    if (kind === 'session_expired' || kind === 'login_page') throw new SessionExpiredError();
    if (kind === 'not_found' || kind === 'forbidden') return result;
    const link = page.locator(lookup.result_link_selector).first();
    if ((await link.count()) === 0) {
      // No result link: the search may have opened the OS itself.
      const detail = waitForSelectors(profile.wait_for);
      return detail.length > 0 && (await page.locator(detail.join(', ')).count()) > 0
        ? null
        : result;
    }
    const scripted = await link.evaluate(
      (element) =>
        element.hasAttribute('onclick') ||
        !element.getAttribute('href') ||
        /^\s*javascript:/i.test(element.getAttribute('href') ?? ''),
      undefined,
      { timeout: run.timeoutMs },
    );
    if (!scripted) {
      const detailUrl = parseSearchResult(result, profile);
      if (!detailUrl) return result;
      await this.open(page, { method: 'GET', url: new URL(detailUrl, page.url()).toString() }, run);
      return null;
    }
    const token = randomUUID();
    await markDocument(page, token);
    await link.click({ timeout: run.timeoutMs, noWaitAfter: true });
    const detail = waitForSelectors(profile.wait_for);
    const moved = await watchPage(
      page,
      [{ name: 'detail', selectors: detail, texts: [] }],
      run.timeoutMs,
      (seen) =>
        (seen.newDocument && seen.readyState !== 'loading') || seen.present.has('detail')
          ? true
          : null,
      token,
    );
    if (moved === null)
      throw new TargetUnavailableError(
        'timeout',
        `clicking lookup.result_link_selector ${lookup.result_link_selector} opened nothing within ${run.timeoutMs} ms`,
      );
    return null;
  }

  /** Navigates to a lookup: a GET by URL, or a POST form submitted from a blank page. */
  private async open(page: Page, request: TargetRequest, run: PageRun): Promise<void> {
    if (request.method === 'GET') {
      const response = await page.goto(request.url, {
        waitUntil: run.waitUntil,
        timeout: run.timeoutMs,
      });
      assertAnswered(response?.status());
      return;
    }
    await page
      .goto(new URL('/', this.target.baseUrl).toString(), {
        waitUntil: 'commit',
        timeout: run.timeoutMs,
      })
      .catch(() => undefined);
    const [response] = await Promise.all([
      page.waitForNavigation({ waitUntil: run.waitUntil, timeout: run.timeoutMs }),
      page.evaluate(
        ({ url, form }) => {
          const element = document.createElement('form');
          element.method = 'POST';
          element.action = url;
          for (const [name, value] of Object.entries(form)) {
            const input = document.createElement('input');
            input.type = 'hidden';
            input.name = name;
            input.value = value;
            element.appendChild(input);
          }
          document.body.appendChild(element);
          element.submit();
        },
        { url: request.url, form: request.form ?? {} },
      ),
    ]);
    assertAnswered(response?.status());
  }

  /**
   * Waits for any `wait_for` selector (the OS, "not found", "session ended"), then for the DOM to
   * stay still `settle_ms`. Returns what never came, naming the selectors, or null.
   */
  private async waitForContent(page: Page, run: PageRun): Promise<string | null> {
    const spec = this.target.profile.wait_for;
    const selectors = waitForSelectors(spec);
    if (!spec || selectors.length === 0) return null;
    const timeoutMs = Math.min(spec.timeout_ms ?? run.timeoutMs, run.timeoutMs);
    try {
      await page.waitForSelector(selectors.join(', '), { state: 'attached', timeout: timeoutMs });
    } catch (error) {
      if (page.isClosed()) throw error;
      return `the page never showed wait_for (any of: ${selectors.join(' | ')}) within ${timeoutMs} ms`;
    }
    await waitForQuietDom(page, spec.settle_ms ?? 0, timeoutMs);
    return null;
  }

  /** The rendered page; bounded, as a hostile page (a script in a loop) never answers. */
  private content(page: Page, run: PageRun): Promise<string> {
    return withTimeout(
      page.content(),
      run.timeoutMs,
      `reading the page took over ${run.timeoutMs} ms`,
    );
  }
}

/** Sets a form field as a person would leave it (text, hidden, select), firing `change`. */
function setFieldValue(element: Element, value: string): void {
  if (
    element instanceof HTMLInputElement &&
    (element.type === 'checkbox' || element.type === 'radio')
  )
    element.checked = value !== '' && value !== 'false' && value !== '0';
  else (element as HTMLInputElement).value = value;
  element.dispatchEvent(new Event('input', { bubbles: true }));
  element.dispatchEvent(new Event('change', { bubbles: true }));
}

/** A value inside a double-quoted CSS attribute selector. */
function cssString(value: string): string {
  return value.replace(/["\\]/g, '\\$&');
}

function assertAnswered(status: number | undefined): void {
  if (status !== undefined && status >= 500) {
    throw new TargetUnavailableError('http_5xx', `the target answered ${status}`);
  }
}
