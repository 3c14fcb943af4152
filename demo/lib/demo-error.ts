/** A failure the demo explains in its own words: printed as is, without a stack trace. */
export class DemoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemoError';
  }
}

/** Prerequisites are missing: the message is the whole story (what, and how to fix it). */
export class MissingPrerequisitesError extends DemoError {
  constructor(message: string) {
    super(message);
    this.name = 'MissingPrerequisitesError';
  }
}

/** `postgres://user:secret@host/db` → `postgres://user:***@host/db`, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

/** The most telling text of an error (Node's connection errors may have an empty message). */
export function reasonOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return reasonOf(error.errors[0]);
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : '';
  if (typeof code === 'string' && !text.includes(code)) return text ? `${code}: ${text}` : code;
  return text || String(error);
}
