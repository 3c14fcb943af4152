import { Injectable } from '@nestjs/common';
import { classifyPage, isLoggedInPage } from '../extractor/page-classifier.js';
import { parseLoginForm } from '../extractor/login-form-parser.js';
import { loadDocument, select } from '../extractor/html-document.js';
import { targetUrl } from '../profile/target-url.js';
import { SessionExpiredError } from '../scrape-errors.js';
import { CookieJar } from '../target/cookie-jar.js';
import { TargetDefinition } from '../target/target-definition.js';
import { TargetHttpClient } from '../target/target-http-client.js';
import { TargetPoliteness } from '../target/target-politeness.service.js';
import type { LoginAttempt } from './login-attempt.js';

/**
 * Logs in over plain HTTP as a person would: open the login page (for its cookie and hidden
 * CSRF field), post the form, follow the redirect and check that the home page came back.
 * The cookies serve both the HTTP and the browser paths. Whether to try again, or in a browser,
 * is the caller's decision (SessionLoginService).
 */
@Injectable()
export class TargetLoginService {
  constructor(
    private readonly target: TargetDefinition,
    private readonly http: TargetHttpClient,
    private readonly politeness: TargetPoliteness,
  ) {}

  async login(signal?: AbortSignal): Promise<LoginAttempt> {
    const { profile, username, password } = this.target;
    const cookies = new CookieJar();
    const loginUrl = targetUrl(profile, profile.login.url);
    const page = await this.politeness.run(
      () => this.http.send({ url: loginUrl, cookies }),
      signal,
    );
    const form = parseLoginForm(page.text, profile, page.url);
    if (!form)
      return {
        kind: 'no_form',
        detail: `no login form (${profile.login.form_selector}) at ${profile.login.url}`,
      };
    const fields = {
      ...form.hiddenFields,
      [form.usernameField]: username ?? '',
      [form.passwordField]: password ?? '',
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
    if (home.status < 400 && isLoggedInPage(home.text, profile, home.url))
      return { kind: 'ok', cookies };
    // A fresh session ended on its first page: a hiccup of the target, worth another try.
    if (home.status < 400 && classifyPage(home.text, profile) === 'session_expired') {
      throw new SessionExpiredError('the session ended right after logging in');
    }
    if (home.status < 500 && showsFailure(home.text, profile))
      return {
        kind: 'refused',
        detail: `the HTTP login showed login.failure (HTTP ${home.status})`,
      };
    return {
      kind: 'rejected',
      detail: `the target did not accept the HTTP login (HTTP ${home.status})`,
    };
  }
}

function showsFailure(html: string, profile: TargetDefinition['profile']): boolean {
  const failure = profile.login.failure;
  if (!failure) return false;
  const $ = loadDocument(html);
  if ((failure.selectors ?? []).some((selector) => select($, selector).length > 0)) return true;
  const text = $('body').text().replace(/\s+/g, ' ');
  return (failure.text_patterns ?? []).some((pattern) => new RegExp(pattern, 'i').test(text));
}
