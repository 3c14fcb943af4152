import type { TestApp } from './test-app.js';

const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (
  ...args: string[]
) => (...values: unknown[]) => Promise<unknown>;

export interface SeedRun {
  logs: unknown[][];
  done: Promise<void>;
}

/**
 * Runs a snippet of the original frontend code against the service: `fetch` gets the base URL
 * and bearer token a frontend's fetch wrapper adds, timers run `speedUp` times faster, and the
 * placeholder OS list of the write-up is replaced by `osNumbers`.
 */
export function runSeedSnippet(
  t: TestApp,
  token: string,
  code: string,
  options: {
    osNumbers: string[];
    speedUp?: number;
    until?: (args: unknown[]) => boolean;
    waitForCompletion?: (taskId: string) => Promise<void>;
  },
): SeedRun {
  const logs: unknown[][] = [];
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const speedUp = options.speedUp ?? 200;
  const fetchWithAuth = (path: string, init: RequestInit = {}) =>
    fetch(`${t.url}${path}`, {
      ...init,
      headers: { ...(init.headers as Record<string, string>), Authorization: `Bearer ${token}` },
    });
  const console = {
    log: (...args: unknown[]) => {
      logs.push(args);
      if (options.until?.(args)) finish();
    },
  };
  const fastTimeout = (callback: () => void, ms: number) => setTimeout(callback, ms / speedUp);
  const source = code
    .replace(/\['12345', '12346', '12347', \.\.\.\]/, 'osNumbers')
    .replace(/\['12345', '12346', \.\.\.\]/, 'osNumbers');
  const run = new AsyncFunction(
    'fetch',
    'console',
    'setTimeout',
    'waitForCompletion',
    'osNumbers',
    source,
  );
  const ran = run(
    fetchWithAuth,
    console,
    fastTimeout,
    options.waitForCompletion,
    options.osNumbers,
  );
  return {
    logs,
    done: options.until
      ? Promise.all([ran, finished]).then(() => undefined)
      : ran.then(() => undefined),
  };
}
