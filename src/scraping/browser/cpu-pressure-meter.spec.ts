import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CpuPressureMeter } from './cpu-pressure-meter.js';

const hasPsi = ['/sys/fs/cgroup/cpu.pressure', '/proc/pressure/cpu'].some((file) =>
  existsSync(file),
);

describe('CpuPressureMeter', () => {
  it.runIf(hasPsi)(
    'reads the share of the interval in which work waited for a core, from the kernel',
    async () => {
      const meter = new CpuPressureMeter();
      expect(meter.available).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const share = meter.read();
      expect(share).toBeGreaterThanOrEqual(0);
      expect(share).toBeLessThanOrEqual(1);
    },
  );

  it.skipIf(hasPsi)('says it is not available where the kernel reports no pressure', () => {
    const meter = new CpuPressureMeter();
    expect(meter.available).toBe(false);
    expect(meter.read()).toBeUndefined();
  });
});
