import { spawn, type ChildProcess } from 'node:child_process';
import { DemoError } from './demo-error.js';
import { freePort } from './free-port.js';

const KEEP_LINES = 200;

/** The service (`node dist/main.js all`) as a child process of the demo. */
export class ServiceChild {
  private readonly lines: string[] = [];
  private readonly exit: Promise<number | null>;
  private expectedExit = false;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {
    const collect = (chunk: Buffer) => {
      this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      this.lines.splice(0, Math.max(0, this.lines.length - KEEP_LINES));
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    this.exit = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static async start(mainJs: string, env: Record<string, string>): Promise<ServiceChild> {
    const port = await freePort();
    const child = spawn(process.execPath, [mainJs, 'all'], {
      env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ServiceChild(child, port);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Calls `onExit` if the service stops without being asked to. */
  onUnexpectedExit(onExit: (code: number | null, output: string) => void): void {
    void this.exit.then((code) => {
      if (!this.expectedExit) onExit(code, this.output());
    });
  }

  /** Waits for `GET /api/health/live`; a service that exits first is reported with its output. */
  async waitUntilLive(timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) {
        throw new DemoError(`the service stopped while starting:\n${this.output()}`);
      }
      try {
        if ((await fetch(`${this.url}/api/health/live`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new DemoError(
      `the service did not answer within ${timeoutMs / 1000} s:\n${this.output()}`,
    );
  }

  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  async stop(graceMs = 45_000): Promise<void> {
    this.expectedExit = true;
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exit;
    clearTimeout(timer);
  }

  /** The service's last lines, log records shown as `level: message`. */
  output(lines = 15): string {
    return this.lines
      .slice(-lines)
      .map((line) => `  ${readable(line)}`)
      .join('\n');
  }
}

function readable(line: string): string {
  try {
    const record = JSON.parse(line) as {
      level?: unknown;
      msg?: unknown;
      err?: { message?: unknown };
    };
    if (typeof record.msg === 'string') {
      const detail = typeof record.err?.message === 'string' ? ` (${record.err.message})` : '';
      return `${typeof record.level === 'string' || typeof record.level === 'number' ? `${record.level}: ` : ''}${record.msg}${detail}`;
    }
  } catch {
    // plain text
  }
  return line;
}
