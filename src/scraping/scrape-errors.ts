/**
 * Errors of reading the target, each saying whether trying again can help. Codes end up in
 * `scraping_usage_stats.error_code` and in API results.
 */
export type ScrapeErrorCode =
  | 'timeout'
  | 'http_5xx'
  | 'http_4xx'
  | 'connection_error'
  | 'session_expired'
  | 'login_failed'
  | 'missing_credentials'
  | 'incomplete'
  | 'browser_error'
  | 'target_outage'
  | 'target_busy'
  | 'page_too_large'
  | 'cancelled'
  | 'invalid_os_number'
  | 'redis_unavailable'
  | 'batch_failed'
  | 'task_failed'
  | 'internal_error';

export class ScrapeError extends Error {
  constructor(
    readonly code: ScrapeErrorCode,
    message: string,
    /** Trying again (after a backoff) may succeed. */
    readonly retryable: boolean,
    /** The target itself misbehaved: counts towards opening the circuit breaker. */
    readonly targetFault = false,
  ) {
    super(message);
    this.name = 'ScrapeError';
  }
}

/** The target answered with its login or "Sessão expirada" page: log in again and retry. */
export class SessionExpiredError extends ScrapeError {
  constructor(message = 'the target session expired') {
    super('session_expired', message, true);
    this.name = 'SessionExpiredError';
  }
}

/** The target did not answer in time, refused or reset the connection, or answered 5xx. */
export class TargetUnavailableError extends ScrapeError {
  constructor(code: 'timeout' | 'http_5xx' | 'connection_error', message: string) {
    super(code, message, true, true);
    this.name = 'TargetUnavailableError';
  }
}

/** The target rejected the credentials: no retry will fix it. */
export class LoginFailedError extends ScrapeError {
  constructor(message = 'the target rejected the login') {
    super('login_failed', message, false);
    this.name = 'LoginFailedError';
  }
}

/** A required field or table came out empty: a heavier path may read it. */
export class IncompleteExtractionError extends ScrapeError {
  constructor(readonly missing: string[]) {
    super('incomplete', `required fields missing: ${missing.join(', ')}`, false);
    this.name = 'IncompleteExtractionError';
  }
}

export class BrowserError extends ScrapeError {
  constructor(message: string) {
    super('browser_error', message, true);
    this.name = 'BrowserError';
  }
}

/** Any error as a `ScrapeError`, classifying low-level network and Playwright errors. */
export function toScrapeError(error: unknown): ScrapeError {
  if (error instanceof ScrapeError) return error;
  const err = error as {
    name?: string;
    code?: string;
    message?: string;
    cause?: { code?: string };
  };
  const message = err?.message ?? String(error);
  if (err?.name === 'ShutdownInterruption') return new ScrapeError('cancelled', message, false);
  if (
    /^(ClientClosedError|ClientOfflineError|SocketClosedUnexpectedlyError|ConnectionTimeoutError)$/.test(
      err?.name ?? '',
    )
  ) {
    return new ScrapeError('redis_unavailable', `Redis: ${message}`, true);
  }
  const code = err?.code ?? err?.cause?.code;
  if (
    err?.name === 'TimeoutError' ||
    err?.name === 'AbortError' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT'
  ) {
    return new TargetUnavailableError('timeout', shorten(message));
  }
  if (
    code &&
    /^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|UND_ERR_SOCKET|UND_ERR_CLOSED|UND_ERR_CONNECT_TIMEOUT)$/.test(
      code,
    )
  ) {
    return new TargetUnavailableError('connection_error', `${code}: ${shorten(message)}`);
  }
  if (
    /net::ERR_(CONNECTION|EMPTY_RESPONSE|ADDRESS|NAME_NOT_RESOLVED|TIMED_OUT|SOCKET)/.test(message)
  ) {
    return new TargetUnavailableError('connection_error', shorten(message));
  }
  if (/Timeout \d+ms exceeded/.test(message))
    return new TargetUnavailableError('timeout', shorten(message));
  if (
    /Target (page, context or browser )?closed|Browser has been closed|browser has disconnected/i.test(
      message,
    )
  ) {
    return new BrowserError(shorten(message));
  }
  return new ScrapeError('internal_error', shorten(message), false);
}

function shorten(message: string): string {
  const firstLine = message.split('\n')[0] ?? message;
  return firstLine.length > 300 ? `${firstLine.slice(0, 300)}…` : firstLine;
}
