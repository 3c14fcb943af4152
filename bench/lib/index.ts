export { loadBuilt, DIST_DIR } from './built-service.js';
export { runAsChild, runTsChild, tellParent, type TsChildOptions } from './child-process.js';
export {
  intOption,
  keyValues,
  listOption,
  parseFlags,
  textOption,
  type Flags,
} from './cli-flags.js';
export { mapConcurrently } from './concurrency.js';
export { describeMachine, type MachineInfo } from './machine.js';
export {
  descendantsOf,
  killProcessTree,
  listProcesses,
  readProcStat,
  readPssBytes,
  treeMemory,
  type ProcStat,
  type TreeMemory,
} from './proc-stats.js';
export {
  cpuBetween,
  ProcessSampler,
  type CpuDelta,
  type PeakMemory,
  type ProcessSamplerOptions,
  type TreeSample,
} from './process-sampler.js';
export { RESULTS_DIR, writeResults, type ResultFile } from './results.js';
export { serviceNodeOptions } from './service-node-options.js';
export { startSimulatorProcess, type SimulatorProcess } from './simulator-process.js';
export { formatTable, printTable, type Column } from './table.js';
export { ThroughputWindow, type WindowResult } from './throughput-window.js';
export { BENCH_DATABASE_SERVER, deleteBenchKeys, dropBenchDatabase } from './bench-state.js';
