import { readFileSync } from 'node:fs';
import os from 'node:os';

interface Reading {
  atMs: number;
  /** cgroup v2 CPU time used (µs), when the container has a CPU quota. */
  usageUs?: number;
  /** Busy and total CPU time of the machine (ms), otherwise. */
  busyMs: number;
  totalMs: number;
}

/**
 * How busy the CPU this process may use was since the last `read()` (0–1). Inside a container
 * with a CPU quota (cgroup v2 `cpu.max`), the container's usage against its quota: the machine's
 * other cores are not ours to fill. Otherwise the whole machine's busy share, other tenants
 * included, since their work takes the same cores from Chromium.
 */
export class CpuBusyMeter {
  private last: Reading;
  private readonly quotaCores: number | undefined = cgroupQuotaCores();

  constructor() {
    this.last = this.sample();
  }

  read(): number {
    const now = this.sample();
    const previous = this.last;
    this.last = now;
    if (
      this.quotaCores !== undefined &&
      now.usageUs !== undefined &&
      previous.usageUs !== undefined
    ) {
      const elapsedUs = (now.atMs - previous.atMs) * 1000;
      if (elapsedUs <= 0) return 0;
      return clamp((now.usageUs - previous.usageUs) / (elapsedUs * this.quotaCores));
    }
    const total = now.totalMs - previous.totalMs;
    return total > 0 ? clamp((now.busyMs - previous.busyMs) / total) : 0;
  }

  private sample(): Reading {
    let busyMs = 0;
    let totalMs = 0;
    for (const cpu of os.cpus()) {
      const { user, nice, sys, idle, irq } = cpu.times;
      busyMs += user + nice + sys + irq;
      totalMs += user + nice + sys + idle + irq;
    }
    return {
      atMs: performance.now(),
      usageUs: this.quotaCores === undefined ? undefined : cgroupUsageUs(),
      busyMs,
      totalMs,
    };
  }
}

function clamp(share: number): number {
  return Math.min(1, Math.max(0, share));
}

/** cgroup v2 `cpu.max` ("quota period", or "max period" when unlimited) as cores. */
function cgroupQuotaCores(): number | undefined {
  try {
    const [quota, period] = readFileSync('/sys/fs/cgroup/cpu.max', 'utf8').trim().split(/\s+/);
    const cores = Number(quota) / Number(period);
    return Number.isFinite(cores) && cores > 0 ? cores : undefined;
  } catch {
    return undefined;
  }
}

function cgroupUsageUs(): number | undefined {
  try {
    const usage = /^usage_usec (\d+)$/m.exec(readFileSync('/sys/fs/cgroup/cpu.stat', 'utf8'));
    return usage ? Number(usage[1]) : undefined;
  } catch {
    return undefined;
  }
}
