import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { SessionPool } from '../scraping/session/session-pool.service.js';
import { BrowserPool } from '../scraping/browser/browser-pool.service.js';

/** The browser pool and sessions of this process: informative, never fails readiness (launch is lazy). */
@Injectable()
export class BrowserPoolHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly browsers: BrowserPool,
    private readonly sessions: SessionPool,
  ) {}

  check() {
    const pool = this.browsers.stats();
    const sessions = this.sessions.stats();
    return this.indicators.check('browser_pool').up({
      browser_up: pool.browser_up,
      contexts_busy: pool.contexts_busy,
      contexts_free: pool.contexts_free,
      max_contexts: pool.max_contexts,
      restarts: pool.restarts,
      sessions_leased: sessions.leased,
      logins: sessions.logins,
    });
  }
}
