import { osExists } from '../../demo/erp-simulator/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OsScraperService } from '../../src/scraping/os-scraper.service.js';
import { SessionPool } from '../../src/scraping/session/session-pool.service.js';
import { profileVariant } from '../support/profile-variant.js';
import {
  startTestSimulator,
  targetEnv,
  truthOf,
  type RunningSimulator,
} from '../support/simulator.js';
import { waitForTask } from '../support/tasks.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Layout c is script-only: its login button encodes the password by script and posts through
 * __doPostBack, its search is a postback with a signed __VIEWSTATE, and its OS page renders its
 * data by script after a delay. Only a browser that logs in, fills the page's own form and waits
 * for the render can read it; these tests read it on real Chromium with the shipped profile.
 */

const PROFILE = 'profiles/erp-simulator-c.json';
const EXISTING = Array.from({ length: 60 }, (_, i) => 2000 + i * 37)
  .filter((n) => osExists(n, 1, 0.03))
  .slice(0, 4)
  .map(String);
const MISSING = Array.from({ length: 400 }, (_, i) => 5000 + i)
  .filter((n) => !osExists(n, 1, 0.03))
  .slice(0, 1)
  .map(String);

describe('a script-only target (layout c) through the browser', () => {
  let sim: RunningSimulator;
  const apps: TestApp[] = [];

  beforeAll(async () => {
    sim = await startTestSimulator({ layout: 'c' });
    expect(EXISTING).toHaveLength(4);
    expect(MISSING).toHaveLength(1);
  });
  afterAll(async () => {
    for (const app of apps) await app.close().catch(() => undefined);
    await sim?.close();
  });

  async function appWith(profile: string, env: Record<string, string> = {}): Promise<TestApp> {
    const t = await startTestApp({
      env: { ...targetEnv(sim, 'c'), TARGET_PROFILE: profile, TARGET_MAX_RPS: '0', ...env },
    });
    apps.push(t);
    sim.resetStats();
    return t;
  }

  it('logs in in the browser, searches by postback, waits for the render and reads every field', async () => {
    const t = await appWith(PROFILE);
    const scraper = t.app.get(OsScraperService);
    for (const osNumber of EXISTING) {
      const result = await scraper.scrape(osNumber, { userId: 'layout-c' });
      expect(result, osNumber).toMatchObject({ outcome: 'success', path: 'browser' });
      expect(result.data).toEqual(await truthOf(sim, osNumber));
    }
    const missing = await scraper.scrape(MISSING[0]!, { userId: 'layout-c' });
    expect(missing).toMatchObject({ outcome: 'not_found', path: 'browser' });

    const stats = sim.stats();
    // Logged in by the page's script (the plain form post never reaches the password check).
    expect(stats.logins.failed).toBe(0);
    expect(stats.logins.successful).toBeGreaterThanOrEqual(1);
    expect(stats.requestsByRoute['POST /Login.aspx']).toBe(stats.logins.successful);
    // The postback search and the Select$0 postback: the page's own form kept the view state.
    expect(stats.requestsByRoute['POST /Consulta.aspx']).toBeGreaterThanOrEqual(
      EXISTING.length * 2 + 1,
    );
    // Heavy resources the profile blocks never downloaded.
    expect(stats.assetDownloads.image).toBe(0);
    expect(stats.assetDownloads.font).toBe(0);
    expect(stats.assetDownloads['script-analytics']).toBe(0);
  });

  it('with login.mode "auto", the HTTP login fails and one browser login succeeds and is remembered', async () => {
    const auto = profileVariant(PROFILE, (profile) => {
      profile.login.mode = 'auto';
    });
    const t = await appWith(auto);
    const scraper = t.app.get(OsScraperService);
    const first = await scraper.scrape(EXISTING[0]!, { userId: 'layout-c' });
    expect(first).toMatchObject({ outcome: 'success', path: 'browser' });
    let stats = sim.stats();
    // One plain post (shown the form again) and one by the button's script.
    expect(stats.requestsByRoute['POST /Login.aspx']).toBe(2);
    expect(stats.logins).toEqual({ successful: 1, failed: 0 });

    // The next login (the target ended every session) goes straight to the browser.
    sim.endSessions();
    sim.resetStats();
    const second = await scraper.scrape(EXISTING[1]!, { userId: 'layout-c' });
    expect(second).toMatchObject({ outcome: 'success', path: 'browser' });
    stats = sim.stats();
    expect(stats.requestsByRoute['POST /Login.aspx']).toBe(1);
    expect(stats.logins).toEqual({ successful: 1, failed: 0 });
  });

  it('a session the target ended costs one re-login on the same path', async () => {
    const browserOnly = profileVariant(PROFILE, (profile) => {
      profile.paths = ['browser'];
    });
    const t = await appWith(browserOnly, { TARGET_MAX_SESSIONS: '3' });
    const scraper = t.app.get(OsScraperService);
    expect(await scraper.scrape(EXISTING[0]!, { userId: 'layout-c' })).toMatchObject({
      outcome: 'success',
    });
    const loginsBefore = t.app.get(SessionPool).stats().logins;
    sim.endSessions();
    const result = await scraper.scrape(EXISTING[2]!, { userId: 'layout-c' });
    // The try that met the ended session, then one after a single re-login.
    expect(result).toMatchObject({ outcome: 'success', path: 'browser', attempts: 2 });
    expect(result.data).toEqual(await truthOf(sim, EXISTING[2]!));
    expect(t.app.get(SessionPool).stats().logins - loginsBefore).toBe(1);
    // `paths: ["browser"]`: no HTTP read was tried.
    expect(sim.stats().requestsByRoute['GET /Consulta.aspx']).toBeGreaterThan(0);
  });

  it('a page that never shows what wait_for lists times out naming the selectors', async () => {
    const never = profileVariant(PROFILE, (profile) => {
      profile.paths = ['browser'];
      profile.wait_for = { selectors: ['#painel-que-nao-existe'], timeout_ms: 1500 };
      // A page that never renders its values: a required one stays empty.
      profile.fields.push({
        name: 'campo_fantasma',
        selector: '#painel-que-nao-existe span',
        type: 'string',
        required: true,
      });
    });
    const t = await appWith(never, { SCRAPER_MAX_ATTEMPTS: '1' });
    const result = await t.app.get(OsScraperService).scrape(EXISTING[3]!, { userId: 'layout-c' });
    expect(result.outcome).toBe('failed');
    expect(result.errorCode).toBe('timeout');
    expect(result.errorMessage).toContain('#painel-que-nao-existe');
  });

  it('a hostile page (a script in an endless loop, a deep DOM with a giant script) does not stall the worker', async () => {
    const browserOnly = profileVariant(PROFILE, (profile) => {
      profile.paths = ['browser'];
    });
    const t = await appWith(browserOnly, {
      SCRAPER_PAGE_TIMEOUT_MS: '4000',
      SCRAPER_MAX_ATTEMPTS: '1',
      RATE_LIMIT_BATCHES_PER_HOUR: '100',
    });
    const scraper = t.app.get(OsScraperService);
    try {
      sim.update({ hostile: 'script-loop' });
      const stuck = await scraper.scrape(EXISTING[0]!, { userId: 'layout-c' });
      expect(stuck).toMatchObject({ outcome: 'failed', errorCode: 'timeout' });

      // Through the queues too: the batch ends (Bull's job lock is renewed while Chromium hangs).
      const user = await t.createUser();
      const accepted = await t
        .http()
        .post('/api/desenvolvimento/scraping-batch')
        .set('Authorization', `Bearer ${user.token}`)
        .send({ os_numbers: [EXISTING[1], EXISTING[2]] })
        .expect(202);
      const status = await waitForTask(
        t,
        user.token,
        `/api/desenvolvimento/scraping-batch-status/${accepted.body.task_id}`,
      );
      expect(status.status).toBe('completed');
      const items = (status.result as { items: Array<{ outcome: string; error?: string }> }).items;
      expect(items.map((item) => item.outcome)).toEqual(['failed', 'failed']);
      for (const item of items) expect(item.error).toMatch(/^timeout: /);

      sim.update({ hostile: 'huge' });
      const huge = await scraper.scrape(EXISTING[1]!, { userId: 'layout-c' });
      expect(huge.outcome).toBe('success');
      expect(huge.data).toEqual(await truthOf(sim, EXISTING[1]!));
    } finally {
      sim.update({ hostile: 'off' });
    }
    const after = await scraper.scrape(EXISTING[3]!, { userId: 'layout-c' });
    expect(after).toMatchObject({ outcome: 'success', path: 'browser' });
  });
});
