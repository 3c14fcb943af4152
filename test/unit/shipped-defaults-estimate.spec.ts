import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { thousandOsWithDefaults } from '../../bench/lib/batch-1000-settings.js';
import { AppConfig } from '../../src/config/app-config.js';

// The README's "shipped defaults" figure is computed, not measured: the model, checked by hand.
const measured = { os: 1000, wall_s: 132, latency_ms: 300, requests_per_os: 2 };

describe('the 1000-OS estimate under the shipped defaults', () => {
  it('waits one hour per RATE_LIMIT_BATCHES_PER_HOUR batches, then runs the last window', () => {
    const defaults = new AppConfig();
    const estimate = thousandOsWithDefaults(measured, defaults);
    // 10 batches at 2 an hour: the 9th and 10th start after 4 one-hour windows, 13.2 s each.
    expect(estimate.batches).toBe(10);
    expect(estimate.waitedHours).toBe(4);
    expect(estimate.rpsBinding).toBe(false);
    expect(estimate.seconds).toBeCloseTo(4 * 3600 + 2 * 13.2, 6);
  });

  it('slows each batch when TARGET_MAX_RPS is below what its OS in flight need', () => {
    const limits = { ...new AppConfig(), TARGET_MAX_RPS: 5, RATE_LIMIT_BATCHES_PER_HOUR: 1000 };
    const estimate = thousandOsWithDefaults(measured, limits);
    // 5 OS in flight at 300 ms need 16.7 requests/s: at 5/s each batch takes 3.33 times longer.
    expect(estimate.rpsBinding).toBe(true);
    expect(estimate.seconds).toBeCloseTo(10 * 13.2 * (5 / 0.3 / 5), 6);
  });
});
