import { describe, expect, it } from 'vitest';
import {
  bucketOf,
  HISTOGRAM_MAX_RELATIVE_ERROR,
  histogramPercentiles,
  mergeHistograms,
  type HistogramBucket,
} from '../../src/stats/duration-histogram.js';
import { percentileCont } from '../support/usage-rows.js';

/** A small seeded generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function histogramOf(durations: number[]): HistogramBucket[] {
  const counts = new Map<number, number>();
  for (const duration of durations)
    counts.set(bucketOf(duration), (counts.get(bucketOf(duration)) ?? 0) + 1);
  return [...counts].map(([bucket, count]) => ({ bucket, count }));
}

const PS = [0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1];

/** Durations shaped like real use: fast path, browser, robust, a few outliers and zeros. */
function durations(next: () => number, n: number): number[] {
  return Array.from({ length: n }, () => {
    const kind = next();
    if (kind < 0.01) return 0;
    if (kind < 0.85) return Math.round(80 + next() * next() * 900);
    if (kind < 0.97) return Math.round(1_500 + next() * 4_000);
    if (kind < 0.995) return Math.round(7_000 + next() * 10_000);
    return Math.round(30_000 + next() * 600_000);
  });
}

describe('duration histogram percentiles', () => {
  it.each([1, 2, 3, 7, 42, 1_000, 20_000])(
    'stay within the documented bound of percentile_cont on %i random durations',
    (n) => {
      for (let seed = 1; seed <= 20; seed += 1) {
        const values = durations(random(seed * 7_919 + n), n);
        const estimates = histogramPercentiles(histogramOf(values), PS);
        PS.forEach((p, i) => {
          const exact = percentileCont(values, p);
          const error = Math.abs(estimates[i]! - exact);
          expect(
            error,
            `seed ${seed}, n ${n}, p ${p}: ${estimates[i]} vs ${exact}`,
          ).toBeLessThanOrEqual(HISTOGRAM_MAX_RELATIVE_ERROR * exact + 1e-9);
        });
      }
    },
  );

  it('is exact for small whole durations, where a bucket holds one value', () => {
    const values = [0, 1, 2, 3, 5, 8, 13, 21, 34];
    const [p50, p95] = histogramPercentiles(histogramOf(values), [0.5, 0.95]);
    expect(p50).toBe(percentileCont(values, 0.5));
    expect(p95).toBeCloseTo(percentileCont(values, 0.95), 9);
  });

  it('sums histograms of parts to the histogram of the whole', () => {
    const next = random(99);
    const a = durations(next, 500);
    const b = durations(next, 700);
    const merged = mergeHistograms(histogramOf(a), histogramOf(b));
    expect(merged).toEqual(mergeHistograms(histogramOf([...a, ...b])));
    expect(histogramPercentiles(merged, PS)).toEqual(
      histogramPercentiles(histogramOf([...a, ...b]), PS),
    );
  });

  it('gives 0 for no durations', () => {
    expect(histogramPercentiles([], [0.5, 0.95])).toEqual([0, 0]);
  });
});
