import { readFileSync } from 'node:fs';

/** Where Linux reports CPU pressure: the container's own cgroup first, then the machine's. */
const PRESSURE_FILES = ['/sys/fs/cgroup/cpu.pressure', '/proc/pressure/cpu'];

/**
 * CPU pressure since the last `read()` (0–1): the share of the time in which some task was ready
 * to run and waited for a core (Linux PSI, the `some` line). It rises when there is more work than
 * cores — more browser contexts than the CPU serves — and stays low while the contexts are waiting
 * on the target, however busy the CPU looks; in a container it includes the time the CPU quota
 * held it back. `available` is false where the kernel does not report it (not Linux, or PSI off).
 */
export class CpuPressureMeter {
  private readonly file = PRESSURE_FILES.find((candidate) => readStallUs(candidate) !== undefined);
  private lastStallUs: number | undefined;
  private lastAtMs = performance.now();

  constructor() {
    this.lastStallUs = this.file ? readStallUs(this.file) : undefined;
  }

  get available(): boolean {
    return this.file !== undefined;
  }

  read(): number | undefined {
    if (!this.file || this.lastStallUs === undefined) return undefined;
    const stallUs = readStallUs(this.file);
    const atMs = performance.now();
    if (stallUs === undefined) return undefined;
    const elapsedUs = (atMs - this.lastAtMs) * 1000;
    const share = elapsedUs > 0 ? (stallUs - this.lastStallUs) / elapsedUs : 0;
    this.lastStallUs = stallUs;
    this.lastAtMs = atMs;
    return Math.min(1, Math.max(0, share));
  }
}

/** The `some … total=<µs>` counter of a PSI file. */
function readStallUs(file: string): number | undefined {
  try {
    const total = /^some .*total=(\d+)/m.exec(readFileSync(file, 'utf8'))?.[1];
    return total === undefined ? undefined : Number(total);
  } catch {
    return undefined;
  }
}
