import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SimulatorOptions, SimulatorStats } from '../../demo/erp-simulator/index.js';

/** An ERP simulator in a process of its own. */
export interface SimulatorProcess {
  url: string;
  pid: number;
  stats(): Promise<SimulatorStats>;
  resetStats(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the ERP simulator in a child process, so that the target's own CPU is neither charged
 * to the process being measured nor competing with it for its event loop (a real target is
 * another machine).
 */
export function startSimulatorProcess(
  options: Partial<SimulatorOptions> = {},
): Promise<SimulatorProcess> {
  const child = fork(fileURLToPath(new URL('./simulator-entry.ts', import.meta.url)), [], {
    execArgv: ['--import', import.meta.resolve('tsx')],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const fail = (error: Error) => {
      child.kill('SIGKILL');
      reject(error);
    };
    const timer = setTimeout(() => fail(new Error('the simulator did not start')), 30_000);
    const early = (code: number | null) => fail(new Error(`the simulator exited (${code})`));
    child.once('exit', early);
    child.once('message', (message: { url: string }) => {
      clearTimeout(timer);
      child.off('exit', early);
      resolve({
        url: message.url,
        pid: child.pid!,
        stats: async () => (await (await fetch(`${message.url}/__stats`)).json()) as SimulatorStats,
        resetStats: async () => {
          await fetch(`${message.url}/__stats/reset`, { method: 'POST' });
        },
        close: async () => {
          if (child.exitCode === null && child.signalCode === null) child.send('close');
          await exited;
        },
      });
    });
    child.send(options);
  });
}
