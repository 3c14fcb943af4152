import { Injectable, Logger } from '@nestjs/common';
import { backoffDelay, sleep } from '../common/sleep.js';
import { AppConfig } from '../config/app-config.js';
import type { ScrapePath } from '../stats/scrape-outcome.js';
import { isValidOsNumber } from './extractor/lookup-request.js';
import { BrowserPath } from './paths/browser-path.js';
import { HttpPath } from './paths/http-path.js';
import type { PathReading } from './paths/path-reading.js';
import { PathChooser } from './paths/path-chooser.service.js';
import { ScrapeError, SessionExpiredError, toScrapeError } from './scrape-errors.js';
import type { ScrapeContext, ScrapeResult } from './scrape-result.js';
import { SessionPool } from './session/session-pool.service.js';
import { CircuitBreaker } from './target/circuit-breaker.service.js';
import { TargetDefinition } from './target/target-definition.js';

/** Errors after which a heavier path cannot do better. */
const FINAL_CODES = new Set(['login_failed', 'missing_credentials', 'target_outage', 'cancelled']);

type PathAttempt = PathReading | { kind: 'error'; error: ScrapeError };

/**
 * Reads one OS: the HTTP fast path first, then a pooled browser, then the robust browser, each
 * only when the one before failed or left a required field empty (the order is the profile's
 * `paths`, or learnt per target by PathChooser). Retryable errors retry with
 * exponential backoff and jitter; an expired session logs in again; "not found" is an outcome,
 * never retried. While the target is down (circuit open) the scrape waits instead of failing.
 */
@Injectable()
export class OsScraperService {
  private readonly logger = new Logger(OsScraperService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly target: TargetDefinition,
    private readonly sessions: SessionPool,
    private readonly breaker: CircuitBreaker,
    private readonly httpPath: HttpPath,
    private readonly browserPath: BrowserPath,
    private readonly paths: PathChooser,
  ) {}

  async scrape(osNumber: string, context: ScrapeContext): Promise<ScrapeResult> {
    const started = performance.now();
    const attempts = { count: 0 };
    const finish = (
      partial: Omit<ScrapeResult, 'osNumber' | 'attempts' | 'durationMs'>,
    ): ScrapeResult => ({
      osNumber,
      attempts: attempts.count,
      durationMs: Math.round(performance.now() - started),
      ...partial,
    });
    if (!isValidOsNumber(this.target.profile, osNumber)) {
      return finish({
        outcome: 'failed',
        path: null,
        errorCode: 'invalid_os_number',
        errorMessage: 'invalid OS number',
      });
    }
    let last: { path: ScrapePath; error: ScrapeError } | undefined;
    const plan = await this.paths.plan().catch(() => ({
      order: ['http', 'browser', 'robust'] as const,
      probe: false,
    }));
    let httpMissed = false;
    const learn = (readBy: ScrapePath | null) =>
      this.paths
        .report({ plan, httpMissed, readBy })
        .catch((error: Error) => this.logger.warn(`Path choice not recorded: ${error.message}`));
    for (const path of plan.order) {
      const result = await this.tryPath(path, osNumber, context, attempts);
      if (result.kind === 'ok') {
        await learn(path);
        return finish({ outcome: 'success', path, data: result.data });
      }
      if (result.kind === 'not_found') {
        await learn(path);
        return finish({ outcome: 'not_found', path });
      }
      if (result.kind === 'forbidden') {
        await learn(path);
        return finish({ outcome: 'forbidden', path });
      }
      // Interrupted by shutdown: not an outcome; the caller leaves the OS for the next run.
      if (result.error.code === 'cancelled') throw result.error;
      last = { path, error: result.error };
      if (FINAL_CODES.has(result.error.code)) break;
      if (path === 'http') httpMissed = true;
    }
    await learn(null);
    return finish({
      outcome: 'failed',
      path: last?.path ?? null,
      errorCode: last?.error.code ?? 'internal_error',
      errorMessage: last?.error.message ?? 'no path could read the OS',
    });
  }

  /** One path with its own retries; never throws. */
  private async tryPath(
    path: ScrapePath,
    osNumber: string,
    context: ScrapeContext,
    attempts: { count: number },
  ): Promise<PathAttempt> {
    let lastError: ScrapeError = new ScrapeError('internal_error', 'not tried', false);
    // The first "session expired" costs one re-login on this path, not an attempt: the next
    // lease logs in afresh instead of picking another slot's session that may be as stale.
    let relogin: 'no' | 'due' | 'done' = 'no';
    for (let attempt = 0; attempt < this.config.SCRAPER_MAX_ATTEMPTS; attempt += 1) {
      try {
        await this.breaker.waitUntilClosed(context.signal);
      } catch (error) {
        return { kind: 'error', error: toScrapeError(error) };
      }
      attempts.count += 1;
      let session;
      // A browser scrape takes its place in the browser before its session (BrowserPool.admit).
      let leaveBrowser = () => {};
      try {
        if (path !== 'http') leaveBrowser = await this.browserPath.admit(context.signal);
        session = await this.sessions.acquire(context.signal, { fresh: relogin === 'due' });
        if (relogin === 'due') relogin = 'done';
      } catch (error) {
        leaveBrowser();
        lastError = toScrapeError(error);
        if (lastError.targetFault) await this.breaker.recordFailure();
        if (!lastError.retryable) return { kind: 'error', error: lastError };
        await this.backoff(attempt, context);
        continue;
      }
      try {
        const outcome = await this.run(path, osNumber, session, context.signal);
        await this.breaker.recordSuccess();
        return outcome;
      } catch (error) {
        lastError = toScrapeError(error);
        if (lastError instanceof SessionExpiredError) {
          session.invalidate();
          if (relogin === 'no') {
            relogin = 'due';
            attempt -= 1;
          }
          continue;
        }
        if (lastError.targetFault) await this.breaker.recordFailure();
        else if (lastError.code === 'incomplete') await this.breaker.recordSuccess();
        if (!lastError.retryable) return { kind: 'error', error: lastError };
        this.logger.debug(`OS ${osNumber} ${path} try ${attempt + 1}: ${lastError.code}`);
        await session.release();
        leaveBrowser();
        await this.backoff(attempt, context);
      } finally {
        await session.release();
        leaveBrowser();
      }
    }
    return { kind: 'error', error: lastError };
  }

  private run(
    path: ScrapePath,
    osNumber: string,
    session: Parameters<HttpPath['read']>[1],
    signal?: AbortSignal,
  ) {
    switch (path) {
      case 'http':
        return this.httpPath.read(osNumber, session, signal);
      case 'browser':
        return this.browserPath.read(osNumber, session, signal);
      case 'robust':
        return this.browserPath.readRobust(osNumber, session, signal);
    }
  }

  private async backoff(attempt: number, context: ScrapeContext): Promise<void> {
    await sleep(backoffDelay(attempt, this.config.SCRAPER_RETRY_BASE_MS), context.signal).catch(
      () => undefined,
    );
  }
}
