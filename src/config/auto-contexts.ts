import { readFileSync } from 'node:fs';
import os from 'node:os';

/** What `SCRAPER_MAX_CONTEXTS=auto` is sized from. */
export interface MachineSize {
  cores: number;
  memoryBytes: number;
}

const MB = 1024 * 1024;
/** Browser contexts in flight per core: one renders while another waits on the target. */
export const CONTEXTS_PER_CORE = 2;
/** The worker's Node process and Chromium's browser and GPU processes, before any page. */
export const BASE_MEMORY_BYTES = 1024 * MB;
/** One more context in flight: its renderer share and page, measured PSS with blocking on. */
export const MEMORY_PER_CONTEXT_BYTES = 160 * MB;
/** Above this, a worker process is better split into more workers (`bench/scale-out`). */
export const MAX_AUTO_CONTEXTS = 16;

/**
 * `SCRAPER_MAX_CONTEXTS=auto`: `CONTEXTS_PER_CORE` per core, no more than the memory holds
 * after `BASE_MEMORY_BYTES` at `MEMORY_PER_CONTEXT_BYTES` each, between 1 and
 * `MAX_AUTO_CONTEXTS`. The browser path is CPU-bound (docs/target-profile.md, bench/README.md):
 * more contexts than that only queue on the cores and grow the memory.
 */
export function autoContexts(machine: MachineSize = machineSize()): number {
  const byCpu = Math.floor(machine.cores * CONTEXTS_PER_CORE);
  const byMemory = Math.floor((machine.memoryBytes - BASE_MEMORY_BYTES) / MEMORY_PER_CONTEXT_BYTES);
  return Math.max(1, Math.min(byCpu, byMemory, MAX_AUTO_CONTEXTS));
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
