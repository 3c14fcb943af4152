import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { freePort } from '../../demo/lib/free-port.js';

export const MAIN_JS = resolve(import.meta.dirname, '../../dist/main.js');

/** The built service (`node dist/main.js <role>`) as a child process a test can signal or kill. */
export class ServiceProcess {
  readonly output: string[] = [];
  private exit?: Promise<number | null>;

  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
  ) {
    const collect = (chunk: Buffer) =>
      this.output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    this.exit = once(child, 'exit').then(([code]) => code as number | null);
  }

  static async start(args: string[], env: Record<string, string>): Promise<ServiceProcess> {
    const port = env.PORT ? Number(env.PORT) : await freePort();
    const child = spawn(process.execPath, [MAIN_JS, ...args], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        ENV_FILE: 'none',
        ...env,
        PORT: String(port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ServiceProcess(child, port);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Resolves once `/api/health/live` answers; rejects if the process exits first. */
  async waitUntilUp(timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) {
        throw new Error(`service exited with ${this.child.exitCode}:\n${this.output.join('\n')}`);
      }
      try {
        const response = await fetch(`${this.url}/api/health/live`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`service did not come up in ${timeoutMs} ms:\n${this.output.join('\n')}`);
  }

  /** The exit code (null when killed by a signal). */
  exited(): Promise<number | null> {
    return this.exit!;
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited();
  }

  logLines(): Array<Record<string, unknown>> {
    return this.output.flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  }
}
