/** Rounds to `digits` decimals (figures are shown, not computed further). */
export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** `part` of `whole` in percent, 1 decimal; 0 when there is no whole. */
export function percent(part: number, whole: number): number {
  return whole === 0 ? 0 : round((part / whole) * 100, 1);
}

/** Milliseconds as seconds, 3 decimals (the original's `avg_processing_time`). */
export function seconds(ms: number): number {
  return round(ms / 1000, 3);
}
