import { readFileSync } from 'node:fs';
import os from 'node:os';

/** What `SCRAPER_MAX_CONTEXTS=auto` is sized from. */
export interface MachineSize {
  cores: number;
  memoryBytes: number;
}

const MB = 1024 * 1024;
/** Where `auto` starts: one context renders while another waits on the target. */
export const CONTEXTS_PER_CORE = 2;
/** The most `auto` tunes up to per core, for a slow target (contexts mostly waiting on it). */
export const MAX_CONTEXTS_PER_CORE = 4;
/** The worker's Node process and Chromium's browser and GPU processes, before any page. */
export const BASE_MEMORY_BYTES = 1024 * MB;
/** One more context in flight: its renderer share and page, measured PSS with blocking on. */
export const MEMORY_PER_CONTEXT_BYTES = 160 * MB;
/** Above this, a worker process is better split into more workers (`bench/scale-out`). */
export const MAX_AUTO_CONTEXTS = 16;

/** The range `SCRAPER_MAX_CONTEXTS=auto` tunes within (`ContextTuner`), and where it starts. */
export interface ContextRange {
  floor: number;
  start: number;
  ceiling: number;
}

/**
 * `SCRAPER_MAX_CONTEXTS=auto`: the pool is sized for `ceiling` contexts (`MAX_CONTEXTS_PER_CORE`
 * per core, no more than the memory holds after `BASE_MEMORY_BYTES` at
 * `MEMORY_PER_CONTEXT_BYTES` each, at most `MAX_AUTO_CONTEXTS`), and the browser scrapes let in
 * at once start at `CONTEXTS_PER_CORE` per core and are tuned between one per core and the
 * ceiling on their throughput (`ContextTuner`).
 */
export function autoContextRange(machine: MachineSize = machineSize()): ContextRange {
  const byMemory = Math.floor((machine.memoryBytes - BASE_MEMORY_BYTES) / MEMORY_PER_CONTEXT_BYTES);
  const ceiling = Math.max(
    1,
    Math.min(Math.floor(machine.cores * MAX_CONTEXTS_PER_CORE), byMemory, MAX_AUTO_CONTEXTS),
  );
  const floor = Math.min(ceiling, Math.max(1, Math.floor(machine.cores)));
  const start = Math.min(ceiling, Math.max(floor, Math.floor(machine.cores * CONTEXTS_PER_CORE)));
  return { floor, start, ceiling };
}

/** The contexts an `auto` pool is sized for: its range's ceiling. */
export function autoContexts(machine: MachineSize = machineSize()): number {
  return autoContextRange(machine).ceiling;
}

/** Cores this process may use and the memory it may take: the container's limits when set. */
export function machineSize(): MachineSize {
  return {
    cores: os.availableParallelism(),
    memoryBytes: Math.min(os.totalmem(), cgroupMemoryLimit() ?? Infinity),
  };
}

/** cgroup v2's `memory.max` (v1's `memory.limit_in_bytes`), or undefined when unlimited. */
function cgroupMemoryLimit(): number | undefined {
  for (const file of ['/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes']) {
    try {
      const value = Number(readFileSync(file, 'utf8').trim());
      if (Number.isFinite(value) && value > 0) return value;
    } catch {
      // not this cgroup version
    }
  }
  return undefined;
}
