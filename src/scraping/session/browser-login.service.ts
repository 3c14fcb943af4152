import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Page } from 'playwright';
import { withTimeout } from '../../common/with-timeout.js';
import { AppConfig } from '../../config/app-config.js';
import { BrowserPool } from '../browser/browser-pool.service.js';
import { lookAt, markerOf, watchPage } from '../browser/page-markers.js';
import { targetUrl } from '../profile/target-url.js';
import { SessionExpiredError, TargetUnavailableError, toScrapeError } from '../scrape-errors.js';
import { CookieJar } from '../target/cookie-jar.js';
import { TargetDefinition } from '../target/target-definition.js';
import { TargetPoliteness } from '../target/target-politeness.service.js';

import type { LoginAttempt } from './login-attempt.js';

/** A page back on the login form this long after the submit, with no success: not accepted. */
const REJECTED_AFTER_MS = 1_500;

/**
 * Logs in inside Chromium as a person would, for logins that need the page's own script (a
 * button that fills hidden fields from a server challenge, encodes the password, or posts
 * through `__doPostBack`): open `login.url`, type the username and password into the fields
 * named in the profile, click `login.submit_selector` (or press Enter), and wait for
 * `login.success` or `login.failure`. The context's cookies become the session.
 */
@Injectable()
export class BrowserLoginService {
  constructor(
    private readonly config: AppConfig,
    private readonly target: TargetDefinition,
    private readonly pool: BrowserPool,
    private readonly politeness: TargetPoliteness,
  ) {}

  async login(signal?: AbortSignal): Promise<LoginAttempt> {
    const lease = await this.pool.lease();
    let broken = false;
    try {
      await lease.context.clearCookies();
      return await this.politeness.run(() => this.loginIn(lease.page), signal);
    } catch (error) {
      const scrapeError = toScrapeError(error);
      broken = scrapeError.code === 'browser_error' || scrapeError.code === 'internal_error';
      throw scrapeError;
    } finally {
      // The login's cookies must not leak into the next read that leases this context.
      await lease.context.clearCookies().catch(() => (broken = true));
      lease.release(broken);
    }
  }

  private async loginIn(page: Page): Promise<LoginAttempt> {
    const { profile, username, password } = this.target;
    const login = profile.login;
    const timeoutMs = profile.timeouts?.navigation_ms ?? this.config.SCRAPER_PAGE_TIMEOUT_MS;
    const response = await page.goto(targetUrl(profile, login.url), {
      waitUntil: 'domcontentloaded',
      timeout: timeoutMs,
    });
    const status = response?.status();
    if (status !== undefined && status >= 500)
      throw new TargetUnavailableError('http_5xx', `the login page answered ${status}`);
    const form = page.locator(login.form_selector).first();
    try {
      await form.waitFor({ state: 'attached', timeout: timeoutMs });
    } catch {
      return {
        kind: 'no_form',
        detail: `no login form (login.form_selector ${login.form_selector}) at ${login.url} in a browser`,
      };
    }
    const user = form.locator(`[name="${cssString(login.username_field)}"]`).first();
    const secret = form.locator(`[name="${cssString(login.password_field)}"]`).first();
    await user.fill(username ?? '', { timeout: timeoutMs });
    await secret.fill(password ?? '', { timeout: timeoutMs });

    const markers = [
      markerOf('success', login.success),
      markerOf('failure', login.failure),
      markerOf('login_page', login.login_page),
      markerOf('session_expired', login.session_expired),
    ];
    const token = randomUUID();
    // A marker already on the form (an empty error box, a logo) says nothing about this submit.
    const before = (await lookAt(page, markers, token, { mark: true })).present;
    if (login.submit_selector) {
      await page
        .locator(login.submit_selector)
        .first()
        .click({ timeout: timeoutMs, noWaitAfter: true });
    } else {
      await secret.press('Enter', { timeout: timeoutMs, noWaitAfter: true });
    }

    let loginPageSince = 0;
    const outcome = await watchPage(
      page,
      markers,
      timeoutMs,
      (seen): 'ok' | 'refused' | 'rejected' | 'expired' | null => {
        const appeared = (name: string) =>
          seen.present.has(name) && (seen.newDocument || !before.has(name));
        if (appeared('failure')) return 'refused';
        const onLoginForm = seen.present.has('login_page') || seen.present.has('session_expired');
        if (appeared('success') && !onLoginForm) return 'ok';
        if (!seen.newDocument || seen.readyState === 'loading') return null;
        if (seen.present.has('session_expired')) return 'expired';
        if (!onLoginForm) return null;
        loginPageSince ||= Date.now();
        return Date.now() - loginPageSince >= REJECTED_AFTER_MS ? 'rejected' : null;
      },
      token,
    );
    switch (outcome) {
      case 'ok':
        return { kind: 'ok', cookies: await this.cookiesOf(page) };
      case 'refused':
        return { kind: 'refused', detail: 'the browser login showed login.failure' };
      case 'rejected':
        return {
          kind: 'rejected',
          detail: 'the browser login came back to the login form (login.login_page)',
        };
      case 'expired':
        throw new SessionExpiredError('the session ended right after logging in');
      case null:
        return {
          kind: 'unknown',
          detail: `the browser login saw neither login.success nor login.failure within ${timeoutMs} ms (at ${redactUrl(page.url())})`,
        };
    }
  }

  private async cookiesOf(page: Page): Promise<CookieJar> {
    const cookies = await withTimeout(
      page.context().cookies(this.target.origin),
      10_000,
      'reading the browser cookies timed out',
    );
    return CookieJar.fromJSON(Object.fromEntries(cookies.map((c) => [c.name, c.value])));
  }
}

/** A value inside a double-quoted CSS attribute selector. */
function cssString(value: string): string {
  return value.replace(/["\\]/g, '\\$&');
}

/** The URL without its query: a login URL may carry the username back. */
function redactUrl(url: string): string {
  return url.split('?')[0] ?? url;
}
