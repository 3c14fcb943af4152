import { SimulatorServer } from './simulator-server.js';
import type { SimulatorOptions } from './simulator-options.js';
import type { SimulatorStats } from './simulator-stats.js';
import type { ServiceOrder } from './os-data-generator.js';

export { DEFAULT_SIMULATOR_OPTIONS, resolveSimulatorOptions } from './simulator-options.js';
export type { PageEncoding, SimulatorLayout, SimulatorOptions } from './simulator-options.js';
export { ASSET_TYPES } from './simulator-stats.js';
export type { AssetType, SimulatorStats } from './simulator-stats.js';
export { generateServiceOrder, osExists } from './os-data-generator.js';
export type { ServiceOrder, ServiceOrderItem } from './os-data-generator.js';
export { toTruthRecord } from './truth-record.js';
export type { OsTruthItem, OsTruthRecord } from './truth-record.js';
export { MAX_OS_NUMBER, fromInternalId, toInternalId } from './internal-id.js';
export { OS_PRIORITIES, OS_STATUSES } from './order-catalog-data.js';
export { parseOsNumber } from './simulator-server.js';

/** A simulator listening on `url`. */
export interface RunningSimulator {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  port: number;
  stats(): SimulatorStats;
  resetStats(): void;
  /** Changes knobs on the fly (not port or host). */
  update(options: Partial<SimulatorOptions>): void;
  /** Changes fields of one OS from now on, as a user of the ERP would. */
  edit(osNumber: number, changes: Partial<ServiceOrder>): void;
  options(): SimulatorOptions;
  /** Ends every open session now, as an ERP restart or an administrator would. */
  endSessions(): number;
  /** Stops listening and drops open connections: new connections are refused. */
  pause(): Promise<void>;
  /** Listens again on the same port; sessions survive the pause. */
  resume(): Promise<void>;
  /** Stops for good, promptly, even with hanging requests open. */
  close(): Promise<void>;
}

/** Starts a simulator (port 0 by default: a free port, see `url`). */
export async function startSimulator(
  options: Partial<SimulatorOptions> = {},
): Promise<RunningSimulator> {
  const server = new SimulatorServer(options);
  await server.listen();
  return {
    url: server.url,
    port: server.port,
    stats: () => server.stats(),
    resetStats: () => server.resetStats(),
    update: (changes) => server.update(changes),
    edit: (osNumber, changes) => server.edit(osNumber, changes),
    options: () => server.currentOptions(),
    endSessions: () => server.endSessions(),
    pause: () => server.pause(),
    resume: () => server.listen(),
    close: () => server.close(),
  };
}
