import { Injectable, Logger } from '@nestjs/common';
import { ScrapeError, LoginFailedError, TargetUnavailableError } from '../scrape-errors.js';
import type { CookieJar } from '../target/cookie-jar.js';
import { CircuitBreaker } from '../target/circuit-breaker.service.js';
import { TargetDefinition } from '../target/target-definition.js';
import { BrowserLoginService } from './browser-login.service.js';
import type { LoginAttempt } from './login-attempt.js';
import { CredentialsRefusedError } from './login-errors.js';
import { LoginGuard } from './login-guard.service.js';
import { TargetLoginService } from './target-login.service.js';

/**
 * Makes one login for the session pool, the way `login.mode` says:
 * - `http`: the form posted over plain HTTP;
 * - `browser`: Chromium fills the form and clicks, running the page's own script;
 * - `auto` (default): HTTP first; when it cannot succeed (no form, or the credentials look
 *   refused) one browser login decides, and a target whose browser login worked is remembered
 *   (Redis, for every worker) and logged in with the browser from then on.
 *
 * One login runs at a time per target, every submit of the credentials counts against
 * TARGET_MAX_FAILED_LOGINS, and a refusal opens the circuit for refused credentials: the ERP
 * locks the customer's account after a few wrong passwords.
 */
type FailedAttempt = Exclude<LoginAttempt, { kind: 'ok' }>;

@Injectable()
export class SessionLoginService {
  private readonly logger = new Logger(SessionLoginService.name);

  constructor(
    private readonly target: TargetDefinition,
    private readonly httpLogin: TargetLoginService,
    private readonly browserLogin: BrowserLoginService,
    private readonly guard: LoginGuard,
    private readonly breaker: CircuitBreaker,
  ) {}

  async login(signal?: AbortSignal): Promise<CookieJar> {
    if (!this.target.hasCredentials) {
      throw new ScrapeError(
        'missing_credentials',
        'TARGET_USERNAME and TARGET_PASSWORD are not set',
        false,
      );
    }
    return this.guard.inTurn(() => this.loginInTurn(signal), signal);
  }

  private async loginInTurn(signal?: AbortSignal): Promise<CookieJar> {
    // Another worker may have seen the refusal while this one waited for its turn.
    const refusal = await this.breaker.credentialsRefusal();
    if (refusal)
      throw new CredentialsRefusedError(
        `${refusal.reason}; no login is tried until TARGET_PASSWORD changes or ${refusal.until}`,
      );
    const mode = this.target.profile.login.mode;
    const browserFirst =
      mode === 'browser' || (mode === 'auto' && (await this.guard.remembersBrowserLogin()));
    if (browserFirst) return this.settle(await this.submit('browser', signal), null);

    const overHttp = await this.submit('http', signal);
    if (overHttp.kind === 'ok') return overHttp.cookies;
    if (mode === 'http') return this.settle(overHttp, null);
    // auto: a login that needs the page's script often looks refused over plain HTTP.
    this.logger.log(`HTTP login did not succeed (${overHttp.detail}): trying once in a browser`);
    const inBrowser = await this.submit('browser', signal);
    if (inBrowser.kind === 'ok') {
      await this.guard.rememberLoginMode('browser');
      this.logger.log(
        'The browser login worked where HTTP did not: this target logs in with the browser',
      );
    }
    return this.settle(inBrowser, overHttp);
  }

  /**
   * One submit of the credentials. Counted against the failed-login cap when the target answered
   * and did not accept them (refused, or back on the login form); an error or a timeout is the
   * target's fault, which the circuit breaker and retries handle, not a wrong password.
   */
  private async submit(way: 'http' | 'browser', signal?: AbortSignal): Promise<LoginAttempt> {
    await this.guard.assertMaySubmit();
    const attempt =
      way === 'http' ? await this.httpLogin.login(signal) : await this.browserLogin.login(signal);
    if (attempt.kind === 'refused' || attempt.kind === 'rejected') await this.guard.recordFailure();
    return attempt;
  }

  /** Turns the last attempt into cookies or the error the OS ends with. */
  private async settle(last: LoginAttempt, first: FailedAttempt | null): Promise<CookieJar> {
    switch (last.kind) {
      case 'ok':
        return last.cookies;
      case 'unknown':
        throw new TargetUnavailableError('timeout', last.detail);
      case 'no_form':
        throw new LoginFailedError(first ? `${first.detail}; ${last.detail}` : last.detail);
      case 'refused':
      case 'rejected': {
        // Refused: the target said so. Rejected by both ways in `auto`: two independent answers.
        const confirmed = last.kind === 'refused' || (first !== null && first.kind !== 'no_form');
        const detail = first ? `${first.detail}; ${last.detail}` : last.detail;
        if (!confirmed) throw new LoginFailedError(detail);
        await this.breaker.openForRefusedCredentials(detail);
        throw new CredentialsRefusedError(detail);
      }
    }
  }
}
