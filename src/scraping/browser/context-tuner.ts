/** What the tuner sees of one interval besides the scrapes' times. */
export interface TunerSample {
  /** Some browser scrape had to wait for a place during the interval: more would have run. */
  waited: boolean;
}

/** A scrape let in: the measurement it belongs to and when (ms). */
export interface TunerTicket {
  /** -1 for a scrape no measurement counts (a place's warm-up, or past a measurement's cohort). */
  measurement: number;
  at: number;
}

/** Scrapes let in at one limit and measured to their end, per context, before it is judged. */
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
/** A measurement whose scrapes have not all ended after this many intervals starts again. */
export const MAX_INTERVALS_MEASURED = 150;
/** Intervals before a step that failed is tried again; doubled on each failure of that step. */
export const HOLD_INTERVALS = 15;
/** The longest hold (4 minutes at 2 s): conditions change, so every step is tried again. */
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

/** What the tuner learnt of one step (from a limit, one way). */
interface StepRecord {
  /** Its trials that failed in a row. */
  failures: number;
  /** The interval before which it is not tried. */
  heldUntil: number;
}

/**
 * One limit's measurement: a cohort of the next scrapes let in, each followed to its end, so the
 * long ones count as much as the short (a reading of whichever had ended would favour the short).
 */
interface Measurement {
  id: number;
  /** Scrapes in the cohort, and those let in so far. */
  cohort: number;
  admitted: number;
  /** When the measurement began (its first scrape let in); undefined until then. */
  startedAt?: number;
  intervals: number;
  /** Time-integral of the scrapes in flight since `startedAt` (scrape-ms). */
  inFlightArea: number;
  /** Scrapes of the cohort that ended, and the sum of their durations and squares (ms). */
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
 * So the tuner measures the throughput at the current limit, then tries one step (up while
 * scrapes wait for a place, else down) and keeps it only if it pays: a step up must raise the
 * throughput by `minGain`, a step down may cost at most `maxLoss`. A failed trial is undone and
 * its direction held off, longer after each failure, as a hill-climbing controller does (.NET's
 * thread pool tunes its threads on throughput the same way). Throughput is measured by Little's
 * law (scrapes in flight over their mean duration), which counts every scrape's whole time
 * instead of the few that happen to cross an interval's edge; a trial too close to its threshold
 * to tell from the durations' spread is measured on before it decides.
 *
 * How loaded the CPU looks is no signal: a core polling a page that waits on the target looks
 * busy, and CPU pressure (Linux PSI) read 0.9 and more on 2 cores at 3-4 places against a
 * 300 ms target, where 5 fixed places read 2.9 OS/s against 3's 2.3.
 */
export class ContextTuner {
  private current: number;
  private measurements = 0;
  /**
   * Scrapes of this limit still to let in before its measure starts: a place just added begins
   * cold (a new context and renderer, its cookies, perhaps a login), which is not what it costs.
   */
  private warmupLeft: number;
  private inFlight = 0;
  private lastEventAt = 0;
  private measurement: Measurement;
  /** The last reading at `capacity`, which a trial is judged against. */
  private baseline?: { capacity: number; reading: Reading };
  private trial?: { from: number; direction: Direction };
  /** Intervals observed so far. */
  private tick = 0;
  private readonly steps = new Map<string, StepRecord>();

  constructor(
    readonly floor: number,
    readonly ceiling: number,
    start: number,
  ) {
    this.current = Math.min(ceiling, Math.max(floor, start));
    this.warmupLeft = this.current;
    this.measurement = this.newMeasurement(undefined);
  }

  get capacity(): number {
    return this.current;
  }

  /** A scrape was let in at `now` (ms); hand the ticket to `finished` when it gives its place back. */
  admitted(now: number): TunerTicket {
    this.advance(now);
    this.inFlight += 1;
    const m = this.measurement;
    m.startedAt ??= now;
    if (this.warmupLeft > 0) {
      this.warmupLeft -= 1;
      return { measurement: -1, at: now };
    }
    if (m.admitted >= m.cohort) return { measurement: -1, at: now };
    m.admitted += 1;
    return { measurement: m.id, at: now };
  }

  /** A scrape gave its place back at `now`. */
  finished(ticket: TunerTicket, now: number): void {
    this.advance(now);
    this.inFlight = Math.max(0, this.inFlight - 1);
    if (ticket.measurement !== this.measurement.id) return;
    const duration = now - ticket.at;
    this.measurement.finished += 1;
    this.measurement.durationSum += duration;
    this.measurement.durationSquareSum += duration * duration;
  }

  /** Takes one interval's reading at `now` (ms); returns the capacity for the next. */
  observe(sample: TunerSample, now: number): number {
    this.advance(now);
    this.tick += 1;

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
    if (m.finished < m.cohort || m.intervals < MIN_INTERVALS_MEASURED) {
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
    if (undecided && this.measurement.cohort < MAX_TRIAL_MEASURES * this.scrapesNeeded()) {
      this.measurement.cohort += this.scrapesNeeded();
      return false;
    }
    const kept = change >= threshold;
    this.trial = undefined;
    this.restartMeasurement();
    const step = this.step(trial.from, trial.direction);
    if (kept) {
      step.failures = 0;
      // The step just taken says the way back does not pay either: no flip-flop straight after.
      const back = this.step(this.current, trial.direction === 'up' ? 'down' : 'up');
      back.heldUntil = Math.max(back.heldUntil, this.tick + HOLD_INTERVALS);
      this.baseline = { capacity: this.current, reading };
      return true;
    }
    // Each step keeps its own count: undoing a wrong step elsewhere does not make this one new.
    step.heldUntil = this.tick + Math.min(MAX_HOLD_INTERVALS, HOLD_INTERVALS * 2 ** step.failures);
    step.failures += 1;
    this.baseline = undefined;
    this.moveTo(trial.from, now);
    return true;
  }

  private tryStep(sample: TunerSample, now: number): void {
    const from = this.current;
    const ready = (direction: Direction) => this.step(from, direction).heldUntil <= this.tick;
    if (sample.waited && from < this.ceiling && ready('up')) {
      this.trial = { from, direction: 'up' };
      this.moveTo(from + 1, now);
    } else if (from > this.floor && ready('down')) {
      this.trial = { from, direction: 'down' };
      this.moveTo(from - 1, now);
    }
  }

  private step(from: number, direction: Direction): StepRecord {
    const key = `${from}:${direction}`;
    let record = this.steps.get(key);
    if (!record) this.steps.set(key, (record = { failures: 0, heldUntil: 0 }));
    return record;
  }

  private moveTo(capacity: number, now: number): void {
    this.current = capacity;
    this.warmupLeft = capacity;
    this.advance(now);
    this.measurement = this.newMeasurement(undefined);
  }

  /** A new measurement at the same limit, of the scrapes let in from now on. */
  private restartMeasurement(): void {
    this.measurement = this.newMeasurement(this.lastEventAt);
  }

  private newMeasurement(startedAt: number | undefined): Measurement {
    this.measurements += 1;
    return {
      id: this.measurements,
      cohort: this.scrapesNeeded(),
      admitted: 0,
      startedAt,
      intervals: 0,
      inFlightArea: 0,
      finished: 0,
      durationSum: 0,
      durationSquareSum: 0,
    };
  }

  /** Adds the scrapes in flight since the last event to the measurement's area. */
  private advance(now: number): void {
    if (this.measurement.startedAt !== undefined && now > this.lastEventAt)
      this.measurement.inFlightArea +=
        this.inFlight * (now - Math.max(this.lastEventAt, this.measurement.startedAt));
    this.lastEventAt = Math.max(this.lastEventAt, now);
  }
}
