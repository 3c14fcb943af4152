/**
 * Duration histograms with log-spaced buckets, so percentiles over any window come from summing
 * roll-ups instead of sorting raw rows.
 *
 * Bucket 0 holds durations of 0 ms; bucket k ≥ 1 holds [G^(k-1), G^k) ms with G = 1.02. A
 * percentile is estimated as PostgreSQL's `percentile_cont` is computed (linear interpolation
 * between the two closest ranks), with each rank's value placed inside its bucket. Both the
 * estimate and the exact value of a rank lie in the same bucket, so each is off by less than
 * G − 1 = 2 % of the exact value, and so is their interpolation.
 */
export const HISTOGRAM_GROWTH = 1.02;

/** The largest relative error of a percentile read from a histogram: G − 1. */
export const HISTOGRAM_MAX_RELATIVE_ERROR = HISTOGRAM_GROWTH - 1;

/** SQL for the bucket of a duration column (integer ms), the same everywhere it is computed. */
export function bucketSql(column: string): string {
  return `(CASE WHEN ${column} <= 0 THEN 0 ELSE 1 + floor(ln(${column}::float8) / ln(${HISTOGRAM_GROWTH}::float8)) END)::smallint`;
}

/** The bucket of one duration, as `bucketSql` computes it. */
export function bucketOf(durationMs: number): number {
  return durationMs <= 0 ? 0 : 1 + Math.floor(Math.log(durationMs) / Math.log(HISTOGRAM_GROWTH));
}

export interface HistogramBucket {
  bucket: number;
  count: number;
}

/** Adds histograms bucket by bucket (ordered by bucket). */
export function mergeHistograms(...histograms: HistogramBucket[][]): HistogramBucket[] {
  const sums = new Map<number, number>();
  for (const histogram of histograms)
    for (const { bucket, count } of histogram) sums.set(bucket, (sums.get(bucket) ?? 0) + count);
  return [...sums]
    .filter(([, count]) => count > 0)
    .sort((a, b) => a[0] - b[0])
    .map(([bucket, count]) => ({ bucket, count }));
}

/**
 * Percentiles (0–1) from a histogram, as `percentile_cont` would give them from the raw
 * durations, within `HISTOGRAM_MAX_RELATIVE_ERROR`. 0 for an empty histogram.
 */
export function histogramPercentiles(histogram: HistogramBucket[], ps: number[]): number[] {
  const sorted = histogram.filter((entry) => entry.count > 0).sort((a, b) => a.bucket - b.bucket);
  const total = sorted.reduce((sum, entry) => sum + entry.count, 0);
  if (total === 0) return ps.map(() => 0);
  // The value of the order statistic `rank` (0-based): geometric position inside its bucket.
  const valueAt = (rank: number): number => {
    let seen = 0;
    for (const { bucket, count } of sorted) {
      if (rank < seen + count) return placeInBucket(bucket, (rank - seen + 0.5) / count);
      seen += count;
    }
    return placeInBucket(sorted.at(-1)!.bucket, 1);
  };
  return ps.map((p) => {
    const rank = Math.min(Math.max(p, 0), 1) * (total - 1);
    const low = Math.floor(rank);
    const lowValue = valueAt(low);
    if (rank === low) return lowValue;
    return lowValue + (valueAt(Math.ceil(rank)) - lowValue) * (rank - low);
  });
}

/** A value at `fraction` (0–1) of bucket `bucket`, kept to the integers the bucket can hold. */
function placeInBucket(bucket: number, fraction: number): number {
  if (bucket <= 0) return 0;
  const low = HISTOGRAM_GROWTH ** (bucket - 1);
  const high = HISTOGRAM_GROWTH ** bucket;
  const value = low * (high / low) ** fraction;
  // Durations are whole milliseconds: a narrow bucket holds one integer at most.
  const firstInteger = Math.ceil(low);
  const lastInteger = Math.ceil(high) - 1;
  if (firstInteger > lastInteger) return value;
  return Math.min(Math.max(value, firstInteger), lastInteger);
}
