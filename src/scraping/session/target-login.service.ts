import { Injectable } from '@nestjs/common';
import { classifyPage, isLoggedInPage } from '../extractor/page-classifier.js';
import { parseLoginForm } from '../extractor/login-form-parser.js';
import { targetUrl } from '../profile/target-url.js';
import { LoginFailedError, ScrapeError, SessionExpiredError } from '../scrape-errors.js';
import { CookieJar } from '../target/cookie-jar.js';
import { TargetDefinition } from '../target/target-definition.js';
import { TargetHttpClient } from '../target/target-http-client.js';
import { TargetPoliteness } from '../target/target-politeness.service.js';

/**
 * Logs in over plain HTTP as a person would: open the login page (for its cookie and hidden
 * CSRF field), post the form, follow the redirect and check that the home page came back.
 * The cookies serve both the HTTP and the browser paths.
 */
@Injectable()
export class TargetLoginService {
  constructor(
    private readonly target: TargetDefinition,
    private readonly http: TargetHttpClient,
    private readonly politeness: TargetPoliteness,
  ) {}

  async login(signal?: AbortSignal): Promise<CookieJar> {
    const { profile, username, password } = this.target;
    if (!username || !password) {
      throw new ScrapeError(
        'missing_credentials',
        'TARGET_USERNAME and TARGET_PASSWORD are not set',
        false,
      );
    }
    const cookies = new CookieJar();
    const loginUrl = targetUrl(profile, profile.login.url);
    const page = await this.politeness.run(
      () => this.http.send({ url: loginUrl, cookies }),
      signal,
    );
    const form = parseLoginForm(page.text, profile, page.url);
    if (!form)
      throw new ScrapeError(
        'login_failed',
        `no login form (${profile.login.form_selector}) at ${profile.login.url}`,
        false,
      );
    const fields = {
      ...form.hiddenFields,
      [form.usernameField]: username,
      [form.passwordField]: password,
    };
    const home = await this.politeness.run(
      () =>
        this.http.send({
          method: form.method,
          url:
            form.method === 'GET' ? `${form.action}?${new URLSearchParams(fields)}` : form.action,
          form: form.method === 'POST' ? fields : undefined,
          cookies,
          referer: page.url,
        }),
      signal,
    );
    if (home.status < 400 && isLoggedInPage(home.text, profile, home.url)) return cookies;
    // A fresh session ended on its first page: a hiccup of the target, worth another try.
    if (home.status < 400 && classifyPage(home.text, profile) === 'session_expired') {
      throw new SessionExpiredError('the session ended right after logging in');
    }
    throw new LoginFailedError(`the target did not accept the login (HTTP ${home.status})`);
  }
}
