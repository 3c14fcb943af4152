/** One reading of the worker's process tree during the soak. */
export interface MemorySample {
  /** OS done when it was taken. */
  done: number;
  /** Seconds since the first OS was started. */
  at_s: number;
  /** PSS of the worker's Node process plus its Chromium processes. */
  pss_mb: number;
  node_pss_mb: number;
  rss_mb: number;
  processes: number;
}

/** The rule read from the samples: the last quarter's mean PSS within this of the second's. */
export const FLAT_TOLERANCE = 0.1;

export interface Flatness {
  first_pss_mb: number;
  middle_pss_mb: number;
  last_pss_mb: number;
  /** Mean PSS of the samples taken in each quarter of the run (by OS done). */
  quarter_means_mb: [number, number, number, number];
  /** Least-squares slope of PSS over OS done, after the first quarter (warm-up), per 1,000 OS. */
  slope_mb_per_1000_os: number;
  /** (last quarter mean − second quarter mean) / second quarter mean. */
  change_q2_to_q4: number;
  flat: boolean;
  rule: string;
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const mean = (values: number[]) =>
  values.length === 0 ? NaN : values.reduce((sum, value) => sum + value, 0) / values.length;

/**
 * Whether the worker's memory is flat over the run. The first quarter is warm-up (contexts and
 * sessions made, the first browser generation recycled); the rest must neither climb (the slope)
 * nor end higher than it began (the last quarter's mean against the second's).
 */
export function judgeFlatness(samples: MemorySample[], total: number): Flatness {
  if (samples.length < 4) throw new Error('at least 4 samples are needed: lower --every');
  const quarter = (sample: MemorySample) =>
    Math.min(3, Math.floor(((sample.done - 1) * 4) / total));
  const byQuarter = [0, 1, 2, 3].map((q) =>
    mean(samples.filter((sample) => quarter(sample) === q).map((sample) => sample.pss_mb)),
  ) as [number, number, number, number];
  const warm = samples.filter((sample) => quarter(sample) > 0);
  const change = (byQuarter[3] - byQuarter[1]) / byQuarter[1];
  return {
    first_pss_mb: samples[0]!.pss_mb,
    middle_pss_mb: samples[Math.floor(samples.length / 2)]!.pss_mb,
    last_pss_mb: samples.at(-1)!.pss_mb,
    quarter_means_mb: byQuarter.map((value) => round(value)) as Flatness['quarter_means_mb'],
    slope_mb_per_1000_os: round(
      slope(
        warm.map((sample) => sample.done),
        warm.map((sample) => sample.pss_mb),
      ) * 1000,
      2,
    ),
    change_q2_to_q4: round(change, 3),
    flat: Math.abs(change) <= FLAT_TOLERANCE,
    rule: `flat when the last quarter's mean PSS is within ${FLAT_TOLERANCE * 100} % of the second quarter's (the first quarter is warm-up)`,
  };
}

/** Least-squares slope of y over x. */
export function slope(xs: number[], ys: number[]): number {
  const mx = mean(xs);
  const my = mean(ys);
  let num = 0;
  let den = 0;
  xs.forEach((x, index) => {
    num += (x - mx) * (ys[index]! - my);
    den += (x - mx) ** 2;
  });
  return den === 0 ? 0 : num / den;
}
