import { Injectable } from '@nestjs/common';
import type { BrowserContext, Page } from 'playwright';
import { AppConfig } from '../../config/app-config.js';
import { BrowserPool } from '../browser/browser-pool.service.js';
import { buildLookupRequest, type TargetRequest } from '../extractor/lookup-request.js';
import { extractOrder } from '../extractor/order-extractor.js';
import { parseSearchResult } from '../extractor/search-result-parser.js';
import { classifyPage } from '../extractor/page-classifier.js';
import { SessionExpiredError, TargetUnavailableError, toScrapeError } from '../scrape-errors.js';
import type { SessionLease } from '../session/session-pool.service.js';
import { captureBrowserPage } from '../snapshots/page-capture.js';
import { TargetDefinition } from '../target/target-definition.js';
import { TargetPoliteness } from '../target/target-politeness.service.js';
import { browserPageContext } from './browser-page-context.js';
import { outcomeOf, type PathOutcome } from './path-outcome.js';

interface PageRun {
  timeoutMs: number;
  waitUntil: 'domcontentloaded' | 'load';
}

/**
 * The browser paths. `browser`: a pooled context with the profile's blocking, 15 s timeouts.
 * `robust` (the original script's way): a fresh context, nothing blocked, full page load, 30 s.
 * Both log in with the session's cookies and read `page.content()` with the same extractor.
 */
@Injectable()
export class BrowserPath {
  constructor(
    private readonly config: AppConfig,
    private readonly target: TargetDefinition,
    private readonly pool: BrowserPool,
    private readonly politeness: TargetPoliteness,
  ) {}

  async read(osNumber: string, session: SessionLease, signal?: AbortSignal): Promise<PathOutcome> {
    const lease = await this.pool.lease();
    let broken = true;
    try {
      const outcome = await this.readIn(lease.context, lease.page, osNumber, session, signal, {
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
      broken = scrapeError.code === 'browser_error' || scrapeError.code === 'internal_error';
      throw scrapeError;
    } finally {
      lease.release(broken);
    }
  }

  async readRobust(
    osNumber: string,
    session: SessionLease,
    signal?: AbortSignal,
  ): Promise<PathOutcome> {
    return this.pool.withFreshContext(async (context) => {
      const page = await context.newPage();
      page.setDefaultTimeout(this.config.SCRAPER_ROBUST_TIMEOUT_MS);
      try {
        const outcome = await this.readIn(context, page, osNumber, session, signal, {
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
    context: BrowserContext,
    page: Page,
    osNumber: string,
    session: SessionLease,
    signal: AbortSignal | undefined,
    run: PageRun,
  ): Promise<PathOutcome> {
    const profile = this.target.profile;
    const lookup = buildLookupRequest(profile, osNumber);
    await context.clearCookies();
    await context.addCookies(session.cookies.forBrowser(this.target.baseUrl));
    const html = await this.politeness.run(async () => {
      await this.open(page, lookup, run);
      if (profile.lookup.mode === 'search') {
        const result = await page.content();
        const kind = classifyPage(result, profile);
        if (kind === 'session_expired' || kind === 'login_page') throw new SessionExpiredError();
        const detailUrl = kind === 'not_found' ? null : parseSearchResult(result, profile);
        if (!detailUrl) return result;
        await this.open(page, { method: 'GET', url: detailUrl }, run);
      }
      await this.waitForContent(page, run);
      return page.content();
    }, signal);
    return outcomeOf(extractOrder(html, profile, {}, await browserPageContext(page)));
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

  /** Waits for what the profile says marks a finished page; reads what is there if it never comes. */
  private async waitForContent(page: Page, run: PageRun): Promise<void> {
    const waitFor = this.target.profile.wait_for;
    if (!waitFor) return;
    await page
      .waitForSelector(waitFor.selector, {
        state: 'attached',
        timeout: Math.min(waitFor.timeout_ms ?? run.timeoutMs, run.timeoutMs),
      })
      .catch(() => undefined);
  }
}

function assertAnswered(status: number | undefined): void {
  if (status !== undefined && status >= 500) {
    throw new TargetUnavailableError('http_5xx', `the target answered ${status}`);
  }
}
