/**
 * The service settings `bench/batch-1000.ts` runs with. It measures the service, not its
 * politeness: the per-user rates and the ERP request rate are lifted, and the ERP may serve 10
 * requests and sessions at once. The README's table names these beside the figures.
 */
export const BATCH_1000_LIMITS = {
  RATE_LIMIT_BATCHES_PER_HOUR: 1000,
  RATE_LIMIT_OS_PER_HOUR: 1000,
  TARGET_MAX_RPS: 0,
  TARGET_MAX_CONCURRENCY: 10,
  TARGET_MAX_SESSIONS: 10,
  BATCH_GROUP_SIZE: 5,
} as const;

/** The shipped defaults that bear on a 1000-OS run (see `.env.example`). */
export interface ShippedLimits {
  RATE_LIMIT_BATCHES_PER_HOUR: number;
  TARGET_MAX_RPS: number;
  TARGET_MAX_CONCURRENCY: number;
  TARGET_MAX_SESSIONS: number;
  BATCH_GROUP_SIZE: number;
  BATCH_MAX_SIZE: number;
}

export interface Measured {
  os: number;
  wall_s: number;
  latency_ms: number;
  requests_per_os: number;
}

/**
 * The time of the original's "1000 OS" strategy (one user, batches of BATCH_MAX_SIZE, each after
 * the previous one ends) under the shipped defaults, computed from the measured run, not measured:
 * - a batch reads min(group, concurrency, sessions) OS at once; if that needs more requests per
 *   second than TARGET_MAX_RPS allows, it slows down in proportion (else it runs as measured);
 * - Bull's per-user limiter is a fixed one-hour window: RATE_LIMIT_BATCHES_PER_HOUR batches
 *   start in each hour, the next ones wait (`throttled`) for the next window.
 */
export function thousandOsWithDefaults(measured: Measured, limits: ShippedLimits, os = 1000) {
  const inFlight = (group: number, concurrency: number, sessions: number) =>
    Math.min(group, concurrency || Infinity, sessions);
  const benchInFlight = inFlight(
    BATCH_1000_LIMITS.BATCH_GROUP_SIZE,
    BATCH_1000_LIMITS.TARGET_MAX_CONCURRENCY,
    BATCH_1000_LIMITS.TARGET_MAX_SESSIONS,
  );
  const shippedInFlight = inFlight(
    limits.BATCH_GROUP_SIZE,
    limits.TARGET_MAX_CONCURRENCY,
    limits.TARGET_MAX_SESSIONS,
  );
  // Requests started per second by one batch: every OS in flight issues one request per latency.
  const neededRps = shippedInFlight / (measured.latency_ms / 1000);
  const rpsFactor = limits.TARGET_MAX_RPS > 0 ? Math.max(1, neededRps / limits.TARGET_MAX_RPS) : 1;
  const batchSeconds =
    ((measured.wall_s / measured.os) * limits.BATCH_MAX_SIZE * benchInFlight * rpsFactor) /
    shippedInFlight;
  const batches = Math.ceil(os / limits.BATCH_MAX_SIZE);
  const perHour = limits.RATE_LIMIT_BATCHES_PER_HOUR;
  const waitedHours = Math.ceil(batches / perHour) - 1;
  const lastWindowBatches = batches - waitedHours * perHour;
  return {
    seconds: waitedHours * 3600 + lastWindowBatches * batchSeconds,
    batches,
    waitedHours,
    neededRps,
    rpsBinding: rpsFactor > 1,
  };
}
