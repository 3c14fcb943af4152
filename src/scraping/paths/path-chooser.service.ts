import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { RedisService } from '../../redis/redis.service.js';
import type { ScrapePath } from '../../stats/scrape-outcome.js';
import { TargetDefinition } from '../target/target-definition.js';

const DEFAULT_ORDER: readonly ScrapePath[] = ['http', 'browser', 'robust'];
const BROWSER_FIRST: readonly ScrapePath[] = ['browser', 'robust'];

/** The path order in use for the target, and why (shown in queue status, admin page, metrics). */
export interface PathChoice {
  /** `profile`: the profile's `paths`; `learnt`: chosen by what worked. */
  source: 'profile' | 'learnt';
  mode: 'http_first' | 'browser_first';
  order: ScrapePath[];
  reason: string;
  since: string | null;
  /** OS in a row where HTTP did not read what a browser then read (http_first). */
  http_miss_streak: number;
  /** OS read browser-first since HTTP was last tried (browser_first). */
  since_http_probe: number;
  /** HTTP reads that did not give the OS where a browser did, since the counters started. */
  http_attempts_wasted: number;
  browser_reads: number;
}

/** The order for one OS; `probe` when it re-tries HTTP on a browser-first target. */
export interface PathPlan {
  order: readonly ScrapePath[];
  probe: boolean;
}

/** What the paths of one OS came to, for learning. */
export interface PathReport {
  plan: PathPlan;
  /** The HTTP path was tried and gave no outcome (a required field missing, or an error). */
  httpMissed: boolean;
  /** The path that gave the outcome (success or not found), or null when none did. */
  readBy: ScrapePath | null;
}

/**
 * Chooses the order of paths per target, learning what works (the idea of Crawlee's
 * AdaptivePlaywrightCrawler), with the state in Redis so every worker shares it:
 * - `http_first` (the start): after PATH_BROWSER_FIRST_AFTER OS in a row where HTTP missed and a
 *   browser read the OS, go `browser_first`;
 * - `browser_first`: every PATH_HTTP_REPROBE_EVERY OS or PATH_HTTP_REPROBE_MS, one OS tries HTTP
 *   first again; when HTTP reads it, back to `http_first`.
 * A profile's `paths` is used as it is and nothing is learnt.
 */
@Injectable()
export class PathChooser {
  private readonly logger = new Logger(PathChooser.name);
  private readonly key: string;
  /** Without Redis (inline scraping) the same state, in this process. */
  private readonly local: Record<string, string> = {};

  constructor(
    private readonly config: AppConfig,
    private readonly redis: RedisService,
    private readonly target: TargetDefinition,
  ) {
    this.key = redis.key('target', target.id, 'paths');
  }

  async plan(): Promise<PathPlan> {
    const declared = this.target.profile.paths;
    if (declared) return { order: declared, probe: false };
    const state = await this.read();
    if (state.mode !== 'browser_first') return { order: DEFAULT_ORDER, probe: false };
    const sinceProbe = Number(state.since_http_probe ?? 0);
    const probedAt = Number(state.probed_at ?? state.since ?? 0);
    const due =
      sinceProbe >= this.config.PATH_HTTP_REPROBE_EVERY ||
      Date.now() - probedAt >= this.config.PATH_HTTP_REPROBE_MS;
    if (!due) return { order: BROWSER_FIRST, probe: false };
    // One worker takes the probe; the others stay browser-first meanwhile.
    const taken = await this.claimProbe();
    return taken ? { order: DEFAULT_ORDER, probe: true } : { order: BROWSER_FIRST, probe: false };
  }

  async report(report: PathReport): Promise<void> {
    if (this.target.profile.paths) {
      await this.count(report);
      return;
    }
    await this.count(report);
    const state = await this.read();
    const browserRead = report.readBy === 'browser' || report.readBy === 'robust';
    if (state.mode !== 'browser_first') {
      if (report.readBy === 'http') {
        if (Number(state.http_miss_streak ?? 0) > 0) await this.write({ http_miss_streak: '0' });
        return;
      }
      if (!(report.httpMissed && browserRead)) return;
      const streak = await this.increment('http_miss_streak');
      if (streak >= this.config.PATH_BROWSER_FIRST_AFTER) {
        await this.write({
          mode: 'browser_first',
          reason: `HTTP missed what a browser read on ${streak} OS in a row`,
          since: String(Date.now()),
          probed_at: String(Date.now()),
          since_http_probe: '0',
          http_miss_streak: '0',
        });
        this.logger.log(`Reading the target browser-first: HTTP missed ${streak} OS in a row`);
      }
      return;
    }
    if (!report.plan.probe) {
      await this.increment('since_http_probe');
      return;
    }
    if (report.readBy === 'http') {
      await this.write({
        mode: 'http_first',
        reason: 'HTTP read the OS again on a re-probe',
        since: String(Date.now()),
        http_miss_streak: '0',
      });
      this.logger.log('Reading the target HTTP-first again: a re-probe read the OS over HTTP');
    } else {
      await this.write({ since_http_probe: '0', probed_at: String(Date.now()) });
    }
  }

  async choice(): Promise<PathChoice> {
    const state = await this.read();
    const declared = this.target.profile.paths;
    const browserFirst = state.mode === 'browser_first';
    return {
      source: declared ? 'profile' : 'learnt',
      mode: declared
        ? declared[0] === 'http'
          ? 'http_first'
          : 'browser_first'
        : browserFirst
          ? 'browser_first'
          : 'http_first',
      order: [...(declared ?? (browserFirst ? BROWSER_FIRST : DEFAULT_ORDER))],
      reason: declared
        ? 'the profile lists its paths'
        : (state.reason ?? 'the default: HTTP first, a browser when HTTP misses'),
      since: state.since ? new Date(Number(state.since)).toISOString() : null,
      http_miss_streak: Number(state.http_miss_streak ?? 0),
      since_http_probe: Number(state.since_http_probe ?? 0),
      http_attempts_wasted: Number(state.http_wasted ?? 0),
      browser_reads: Number(state.browser_reads ?? 0),
    };
  }

  private async count(report: PathReport): Promise<void> {
    if (report.httpMissed && report.readBy !== null && report.readBy !== 'http')
      await this.increment('http_wasted');
    if (report.readBy === 'browser' || report.readBy === 'robust')
      await this.increment('browser_reads');
  }

  private async read(): Promise<Record<string, string>> {
    if (!this.redis.isReady) return this.local;
    return this.redis.client.hGetAll(this.key);
  }

  private async write(fields: Record<string, string>): Promise<void> {
    Object.assign(this.local, fields);
    if (this.redis.isReady) await this.redis.client.hSet(this.key, fields);
  }

  private async increment(field: string): Promise<number> {
    if (!this.redis.isReady) {
      const next = Number(this.local[field] ?? 0) + 1;
      this.local[field] = String(next);
      return next;
    }
    return this.redis.client.hIncrBy(this.key, field, 1);
  }

  private async claimProbe(): Promise<boolean> {
    if (!this.redis.isReady) {
      this.local.since_http_probe = '0';
      this.local.probed_at = String(Date.now());
      return true;
    }
    const claimed = await this.redis.client.set(`${this.key}:probe`, '1', {
      NX: true,
      PX: 60_000,
    });
    if (!claimed) return false;
    await this.write({ since_http_probe: '0', probed_at: String(Date.now()) });
    return true;
  }
}
