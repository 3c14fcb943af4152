/** What the tuner sees of one interval. */
export interface TunerSample {
  /**
   * CPU pressure (0–1): the share of the interval in which work waited for a core
   * (`CpuPressureMeter`); undefined where the kernel does not report it (throughput alone decides).
   */
  cpuPressure: number | undefined;
  /** Some browser scrape had to wait for a place during the interval: more would have run. */
  waited: boolean;
}

/** A scrape let in: which limit it ran under (a count of the tuner's moves) and when (ms). */
export interface TunerTicket {
  /** -1 for a scrape that warmed the limit's places up, measured by none. */
  epoch: number;
  at: number;
}

/**
 * At this pressure or more, the cores are the limit: another context only queues on them. On 2
 * cores against an instant target, 2 / 3 / 5 contexts ran at 0.79 / 0.86 / 0.93 and read 3.2 /
 * 3.6 / 3.2 OS/s; on the script-only layout 0.58 / 0.74 / 0.87 for 1.3 / 1.5 / 1.5 OS/s.
 */
export const SATURATED_PRESSURE = 0.9;
/** Under this, with scrapes waiting, the cores may have room for another context: try one. */
export const SPARE_PRESSURE = 0.8;
/** Saturated intervals in a row before a context is taken away (one busy moment is not a trend). */
export const SATURATED_INTERVALS = 2;
/** Scrapes let in at one limit and finished, per context, before its throughput is judged. */
export const SCRAPES_PER_CONTEXT_MEASURED = 4;
/** ...and never fewer than this, so one slow OS does not decide. */
export const MIN_SCRAPES_MEASURED = 16;
/**
 * A trial whose change is within a standard error of its threshold goes on measuring, up to this
 * many times the scrapes a measurement needs; then the change as measured decides.
 */
export const MAX_TRIAL_MEASURES = 4;
/** Intervals a measurement spans at least. */
export const MIN_INTERVALS_MEASURED = 2;
/** A measurement still short of its scrapes after this many intervals starts again (stale). */
export const MAX_INTERVALS_MEASURED = 30;
/** Intervals before a direction whose trial failed is tried again; doubled on each failure after. */
export const HOLD_INTERVALS = 15;
/** The longest hold (4 minutes at 2 s): conditions change, so every direction is tried again. */
export const MAX_HOLD_INTERVALS = 120;

/**
 * A context added from `n` is kept if the throughput rose by at least half of an equal share
 * (1/n), and by no less than 10 % while that is clear of the measurement's noise.
 */
export function minGain(from: number): number {
  return Math.min(0.1, 1 / (2 * from));
}

/** A context taken away from `n` stays away if the throughput fell by at most this. */
export function maxLoss(from: number): number {
  return Math.min(0.05, 1 / (4 * from));
}

type Direction = 'up' | 'down';

interface Measurement {
  /** When the first scrape of this limit was let in; undefined until one is. */
  startedAt?: number;
  intervals: number;
  /** Time-integral of the scrapes in flight since `startedAt` (scrape-ms). */
  inFlightArea: number;
  /** Scrapes let in at this limit that finished, and the sum of their durations and squares (ms). */
  finished: number;
  durationSum: number;
  durationSquareSum: number;
}

/** Throughput (scrapes/ms) at one limit, and its relative standard error. */
interface Reading {
  throughput: number;
  relativeError: number;
}

/**
 * `SCRAPER_MAX_CONTEXTS=auto`: how many browser scrapes may run at once, between `floor` (one per
 * core) and `ceiling` (what the memory holds). Each context costs a renderer's memory (about
 * 80 MB) and pays only while it raises the completion rate: against a fast target a few contexts
 * fill the cores and more only queue on them; against a slow one more keep the cores busy while
 * others wait on the target; a session cap at the target stops any gain too.
 *
 * So the tuner measures the throughput at the current limit, then tries one step (up while the
 * CPU has room and scrapes wait, else down) and keeps it only if it pays: a step up must raise
 * the throughput by `minGain`, a step down may cost at most `maxLoss`. A failed trial is undone
 * and its direction held off, longer after each failure, as a hill-climbing controller does
 * (.NET's thread pool tunes its threads on throughput the same way). Throughput is measured by
 * Little's law (scrapes in flight over their mean duration), which counts every scrape's whole
 * time instead of the few that happen to cross an interval's edge; a trial too close to its
 * threshold to tell from the durations' spread is measured on before it decides. CPU pressure
 * stays the fast signal: two saturated intervals take a context away at once.
 */
export class ContextTuner {
  private current: number;
  /** Moves so far: a scrape's ticket says which limit it ran under. */
  private currentEpoch = 0;
  /**
   * Scrapes of this limit still to let in before its measure starts: a place just added begins
   * cold (a new context and renderer, its cookies, perhaps a login), which is not what it costs.
   */
  private warmupLeft: number;
  private saturatedRun = 0;
  private inFlight = 0;
  private lastEventAt = 0;
  private measurement: Measurement = emptyMeasurement();
  /** The last reading at `capacity`, which a trial is judged against. */
  private baseline?: { capacity: number; reading: Reading };
  private trial?: { from: number; direction: Direction };
  private readonly hold: Record<Direction, number> = { up: 0, down: 0 };
  private readonly failures: Record<Direction, number> = { up: 0, down: 0 };

  constructor(
    readonly floor: number,
    readonly ceiling: number,
    start: number,
  ) {
    this.current = Math.min(ceiling, Math.max(floor, start));
    this.warmupLeft = this.current;
  }

  get capacity(): number {
    return this.current;
  }

  /** A scrape was let in at `now` (ms); hand the ticket to `finished` when it gives its place back. */
  admitted(now: number): TunerTicket {
    this.advance(now);
    this.inFlight += 1;
    this.measurement.startedAt ??= now;
    if (this.warmupLeft > 0) {
      this.warmupLeft -= 1;
      return { epoch: -1, at: now };
    }
    return { epoch: this.currentEpoch, at: now };
  }

  /** A scrape gave its place back at `now`. */
  finished(ticket: TunerTicket, now: number): void {
    this.advance(now);
    this.inFlight = Math.max(0, this.inFlight - 1);
    if (ticket.epoch !== this.currentEpoch) return;
    const duration = now - ticket.at;
    this.measurement.finished += 1;
    this.measurement.durationSum += duration;
    this.measurement.durationSquareSum += duration * duration;
  }

  /** Takes one interval's reading at `now` (ms); returns the capacity for the next. */
  observe(sample: TunerSample, now: number): number {
    this.advance(now);
    for (const direction of ['up', 'down'] as const)
      this.hold[direction] = Math.max(0, this.hold[direction] - 1);

    if (sample.cpuPressure !== undefined && sample.cpuPressure >= SATURATED_PRESSURE) {
      this.saturatedRun += 1;
      if (this.saturatedRun >= SATURATED_INTERVALS && this.current > this.floor) {
        this.saturatedRun = 0;
        this.trial = undefined;
        this.baseline = undefined;
        this.moveTo(this.current - 1, now);
        return this.current;
      }
    } else {
      this.saturatedRun = 0;
    }

    const reading = this.read();
    if (reading === undefined) return this.current;
    if (this.trial) {
      if (!this.judge(this.trial, reading, now)) return this.current;
    } else {
      this.baseline = { capacity: this.current, reading };
      this.restartMeasurement();
    }
    if (!this.trial && this.baseline?.capacity === this.current) this.tryStep(sample, now);
    return this.current;
  }

  /** The current limit's reading once enough scrapes ran under it, else undefined. */
  private read(): Reading | undefined {
    const m = this.measurement;
    if (m.startedAt === undefined) return undefined;
    m.intervals += 1;
    if (m.finished < this.scrapesNeeded() || m.intervals < MIN_INTERVALS_MEASURED) {
      if (m.intervals >= MAX_INTERVALS_MEASURED) this.restartMeasurement();
      return undefined;
    }
    const elapsed = this.lastEventAt - m.startedAt;
    const mean = m.durationSum / m.finished;
    if (elapsed <= 0 || mean <= 0) return undefined;
    const variance = Math.max(0, m.durationSquareSum / m.finished - mean * mean);
    return {
      throughput: m.inFlightArea / elapsed / mean,
      relativeError: Math.sqrt(variance / m.finished) / mean,
    };
  }

  private scrapesNeeded(): number {
    return Math.max(MIN_SCRAPES_MEASURED, SCRAPES_PER_CONTEXT_MEASURED * this.current);
  }

  /**
   * Keeps the trial's step or undoes it; false while the change is within a standard error of
   * the threshold and more scrapes may still tell (the measurement goes on).
   */
  private judge(trial: { from: number; direction: Direction }, reading: Reading, now: number) {
    const before = this.baseline!.reading;
    const change = reading.throughput / before.throughput - 1;
    const threshold = trial.direction === 'up' ? minGain(trial.from) : -maxLoss(trial.from);
    const error = (1 + change) * Math.hypot(before.relativeError, reading.relativeError);
    const undecided = Math.abs(change - threshold) < error;
    if (undecided && this.measurement.finished < MAX_TRIAL_MEASURES * this.scrapesNeeded())
      return false;
    const kept = change >= threshold;
    this.trial = undefined;
    this.restartMeasurement();
    if (kept) {
      this.failures[trial.direction] = 0;
      // The step just taken says the way back does not pay either: no flip-flop straight after.
      this.hold[trial.direction === 'up' ? 'down' : 'up'] = HOLD_INTERVALS;
      this.baseline = { capacity: this.current, reading };
      return true;
    }
    this.hold[trial.direction] = Math.min(
      MAX_HOLD_INTERVALS,
      HOLD_INTERVALS * 2 ** this.failures[trial.direction],
    );
    this.failures[trial.direction] += 1;
    this.baseline = undefined;
    this.moveTo(trial.from, now);
    return true;
  }

  private tryStep(sample: TunerSample, now: number): void {
    const from = this.current;
    if (
      sample.waited &&
      (sample.cpuPressure ?? 0) < SPARE_PRESSURE &&
      from < this.ceiling &&
      this.hold.up === 0
    ) {
      this.trial = { from, direction: 'up' };
      this.moveTo(from + 1, now);
    } else if (from > this.floor && this.hold.down === 0) {
      this.trial = { from, direction: 'down' };
      this.moveTo(from - 1, now);
    }
  }

  private moveTo(capacity: number, now: number): void {
    this.current = capacity;
    this.currentEpoch += 1;
    this.warmupLeft = capacity;
    this.advance(now);
    this.measurement = emptyMeasurement();
  }

  /** A new measurement at the same limit from now on; scrapes already let in under it still count. */
  private restartMeasurement(): void {
    this.measurement = { ...emptyMeasurement(), startedAt: this.lastEventAt };
  }

  /** Adds the scrapes in flight since the last event to the measurement's area. */
  private advance(now: number): void {
    if (this.measurement.startedAt !== undefined && now > this.lastEventAt)
      this.measurement.inFlightArea +=
        this.inFlight * (now - Math.max(this.lastEventAt, this.measurement.startedAt));
    this.lastEventAt = Math.max(this.lastEventAt, now);
  }
}

function emptyMeasurement(): Measurement {
  return { intervals: 0, inFlightArea: 0, finished: 0, durationSum: 0, durationSquareSum: 0 };
}
