import { ApiError, NetworkError } from './api-client.js';
import { formatDuration } from './format.js';

/** A wrong command line: the message and a pointer to `--help`; exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A failure to report as one line; exit code 1. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/** One line for any error the API or the network can produce, without a stack trace. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return describeApiError(error);
  if (error instanceof NetworkError) {
    return `cannot reach the server at ${error.url} (${error.reason}): is it running? Set --server or REGISTRO_OS_URL`;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

function describeApiError(error: ApiError): string {
  const message = error.body?.message ?? '';
  switch (error.status) {
    case 400:
      return `rejected by the server (400): ${message}`;
    case 401:
      return 'not logged in or token expired: run registro-os login';
    case 403:
      return `forbidden (403): ${message || 'your account may not do this'}`;
    case 404:
      return `not found (404): ${message}`;
    case 409:
      return `conflict (409): ${message}`;
    case 429:
      return `too many requests (429): ${message}${waitHint(error.retryAfterSeconds)}`;
    case 503:
      return `service unavailable (503): ${message}${waitHint(error.retryAfterSeconds)}`;
    default:
      return `the server answered ${error.status} for ${error.url}: ${message || error.body?.error || 'no details'}`;
  }
}

function waitHint(seconds: number | undefined): string {
  if (seconds === undefined) return '';
  return ` (wait ${formatDuration(seconds * 1_000)}: Retry-After ${seconds} s)`;
}
