import { ServiceProcess } from './service-process.js';
import { targetEnv, type RunningSimulator } from './simulator.js';
import { testEnv, type TestApp } from './test-app.js';

/** Worker processes of one test file: started against the API's database and Redis prefix. */
export class Workers {
  readonly all: ServiceProcess[] = [];

  constructor(
    private readonly api: () => TestApp,
    private readonly sim: () => RunningSimulator,
    private readonly env: () => Record<string, string>,
  ) {}

  async start(extra: Record<string, string> = {}): Promise<ServiceProcess> {
    const api = this.api();
    const worker = await ServiceProcess.start(['worker'], {
      ...testEnv(api.db, api.redisPrefix),
      ...targetEnv(this.sim()),
      ...this.env(),
      ...extra,
    });
    this.all.push(worker);
    await worker.waitUntilUp();
    return worker;
  }

  live(): ServiceProcess[] {
    return this.all.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
  }

  pids(): number[] {
    return this.live().map((w) => w.pid);
  }

  /** SIGTERM to each live worker (SIGKILL when `hard`), waiting for each to exit. */
  async stopAll(hard = false): Promise<void> {
    await Promise.all(this.live().map((w) => w.stop(hard ? 'SIGKILL' : 'SIGTERM')));
  }
}
