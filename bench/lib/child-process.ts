import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { killProcessTree } from './proc-stats.js';

type ToChild = { type: 'input'; value: unknown };
type FromChild =
  | { type: 'result'; value: unknown }
  | { type: 'error'; message: string }
  | { type: 'note'; value: unknown };

export interface TsChildOptions {
  /** Sent to the child's `runAsChild` handler. */
  input?: unknown;
  env?: Record<string, string>;
  /** The child and its descendants are killed past this. Default 10 minutes. */
  timeoutMs?: number;
  /** Called for each `tellParent` of the child, with the child's pid. */
  onNote?: (value: unknown, childPid: number) => void;
}

/**
 * Runs a TypeScript module (through tsx) in its own Node process and resolves with what its
 * `runAsChild` handler returned. A process per measurement keeps one run's heap, browsers and
 * modules out of the next one's numbers. The child's stdout goes to our stderr, so a table
 * printed on stdout stays clean.
 */
export function runTsChild<T>(script: string | URL, options: TsChildOptions = {}): Promise<T> {
  const path = script instanceof URL ? fileURLToPath(script) : script;
  const child = fork(path, [], {
    execArgv: ['--import', import.meta.resolve('tsx')],
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  child.stdout?.pipe(process.stderr);
  return new Promise<T>((resolve, reject) => {
    let answer: FromChild | undefined;
    const timer = setTimeout(() => {
      if (child.pid) killProcessTree(child.pid);
      reject(new Error(`${path} took longer than ${options.timeoutMs ?? 600_000} ms`));
    }, options.timeoutMs ?? 600_000);
    child.on('message', (message: FromChild) => {
      if (message.type === 'note') options.onNote?.(message.value, child.pid!);
      else answer = message;
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (answer?.type === 'result') resolve(answer.value as T);
      else if (answer?.type === 'error') reject(new Error(answer.message));
      else reject(new Error(`${path} exited (${signal ?? code}) without a result`));
    });
    child.send({ type: 'input', value: options.input ?? null } satisfies ToChild);
  });
}

/**
 * The child's side of `runTsChild`: waits for the input, runs `main`, sends its result (or
 * error) back and lets the process end.
 */
export function runAsChild<I, O>(main: (input: I) => Promise<O>): void {
  if (!process.send) throw new Error('runAsChild: start this module with runTsChild');
  process.once('message', (message: ToChild) => {
    void main(message.value as I).then(
      (value) => reply({ type: 'result', value }),
      (error: unknown) =>
        reply({
          type: 'error',
          message: error instanceof Error ? (error.stack ?? error.message) : String(error),
        }),
    );
  });
}

/** Sends a note to the parent's `onNote` while the child runs (no-op outside `runTsChild`). */
export function tellParent(value: unknown): void {
  process.send?.({ type: 'note', value } satisfies FromChild);
}

function reply(message: FromChild): void {
  process.send!(message, () => {
    process.disconnect();
    // Handles a library left open must not keep a finished child alive.
    setTimeout(() => process.exit(0), 5_000).unref();
  });
}
