import { LoginFailedError } from '../scrape-errors.js';

/** Text every OS that cannot run for refused credentials ends with (`login_failed`). */
export const CREDENTIALS_REFUSED = 'credentials refused by the target';

/**
 * The target showed its "wrong credentials" page (`login.failure`), or refused them on the HTTP
 * form and in a browser. No login is tried again with the same credentials (see LoginGuard).
 */
export class CredentialsRefusedError extends LoginFailedError {
  constructor(detail: string) {
    super(`${CREDENTIALS_REFUSED}: ${detail}`);
    this.name = 'CredentialsRefusedError';
  }
}

/** Logins are paused: too many failed logins in the window (TARGET_MAX_FAILED_LOGINS). */
export class LoginCapReachedError extends LoginFailedError {
  constructor(detail: string) {
    super(`failed-login cap reached: ${detail}`);
    this.name = 'LoginCapReachedError';
  }
}
