import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertsService } from '../../src/admin/alerts/alerts.service.js';
import { OsScraperService } from '../../src/scraping/os-scraper.service.js';
import { startTestSimulator, targetEnv, type RunningSimulator } from '../support/simulator.js';
import { waitForTask } from '../support/tasks.js';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app.js';

/**
 * A legacy ERP locks the customer's account after a few wrong passwords, so wrong credentials
 * must give one clear error and no storm of logins: at most TARGET_MAX_FAILED_LOGINS attempts
 * (across all workers), the circuit opened for refused credentials, an alert and a degraded
 * health, until the password changes.
 */

const numbers = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => String(from + i * 7));

describe('wrong ERP credentials', () => {
  let sim: RunningSimulator;
  let t: TestApp;
  let user: TestUser;

  beforeAll(async () => {
    sim = await startTestSimulator({ layout: 'a' });
    t = await startTestApp({
      env: {
        ...targetEnv(sim),
        TARGET_PASSWORD: 'not-the-password',
        TARGET_MAX_RPS: '0',
        RATE_LIMIT_BATCHES_PER_HOUR: '100',
      },
    });
    user = await t.createUser();
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  async function runBatch(osNumbers: string[]) {
    const accepted = await t
      .http()
      .post('/api/desenvolvimento/scraping-batch')
      .set('Authorization', `Bearer ${user.token}`)
      .send({ os_numbers: osNumbers, batch_name: 'senha errada' })
      .expect(202);
    return waitForTask(
      t,
      user.token,
      `/api/desenvolvimento/scraping-batch-status/${accepted.body.task_id}`,
    );
  }

  it('a 40-OS batch makes at most TARGET_MAX_FAILED_LOGINS login attempts and every OS says why', async () => {
    const status = await runBatch(numbers(61_000, 40));
    const items = (status.result as { items: Array<{ outcome: string; error?: string }> }).items;
    expect(items).toHaveLength(40);
    for (const item of items) {
      expect(item.outcome).toBe('failed');
      expect(item.error).toMatch(/^login_failed: credentials refused by the target/);
    }
    // One HTTP post, then the one browser login that confirms the refusal: the default cap, 2.
    const stats = sim.stats();
    expect(stats.logins).toEqual({ successful: 0, failed: 2 });
    expect(stats.requestsByRoute['POST /login']).toBe(2);
    expect(JSON.stringify(status)).not.toContain('not-the-password');
  });

  it('the circuit is open for refused credentials: health is degraded, an alert is open, the queue status says so', async () => {
    const health = await t.http().get('/api/health').expect(200);
    expect(health.body.status).toBe('degraded');
    expect(health.body.reason).toContain('credentials refused by the target');
    expect(health.body.details.target_login).toMatchObject({
      status: 'up',
      credentials_refused: true,
    });

    await t.app.get(AlertsService).evaluate();
    const admin = await t.adminToken();
    const dashboard = await t
      .http()
      .get('/api/admin/scraping/dashboard?days=1')
      .set('Authorization', `Bearer ${admin}`)
      .expect(200);
    const alerts = dashboard.body.dashboard_data.alertas as Array<{ rule: string }>;
    expect(alerts.map((alert) => alert.rule)).toContain('credentials_refused');

    const queue = await t
      .http()
      .get('/api/desenvolvimento/scraping-queue-status')
      .set('Authorization', `Bearer ${user.token}`)
      .expect(200);
    expect(queue.body.circuit_breaker.state).toBe('credentials_refused');
    expect(queue.body.circuit_breaker.credentials_refused.reason).toContain('login.failure');
  });

  it('another batch makes no login at all', async () => {
    sim.resetStats();
    const status = await runBatch(numbers(62_000, 10));
    const items = (status.result as { items: Array<{ outcome: string }> }).items;
    expect(items.every((item) => item.outcome === 'failed')).toBe(true);
    expect(sim.stats().logins).toEqual({ successful: 0, failed: 0 });
    expect(sim.stats().requestsByRoute['GET /login'] ?? 0).toBe(0);
  });

  it('an admin lifts the refusal: one more login is tried, refused, and the refusal stands again', async () => {
    const route = '/api/admin/scraping/target/credentials-refusal';
    await t.http().delete(route).set('Authorization', `Bearer ${user.token}`).expect(403);
    const admin = await t.adminToken();
    const cleared = await t
      .http()
      .delete(route)
      .set('Authorization', `Bearer ${admin}`)
      .expect(200);
    expect(cleared.body).toMatchObject({ cleared: true, circuit_breaker: { state: 'closed' } });
    expect(cleared.body.circuit_breaker.credentials_refused).toBeUndefined();
    const health = await t.http().get('/api/health').expect(200);
    expect(health.body.status).toBe('ok');

    // The account was not in fact unlocked: the guard holds again after the cap.
    sim.resetStats();
    const status = await runBatch(numbers(62_500, 10));
    const items = (status.result as { items: Array<{ outcome: string }> }).items;
    expect(items.every((item) => item.outcome === 'failed')).toBe(true);
    expect(sim.stats().logins).toEqual({ successful: 0, failed: 2 });
    const again = await t.http().delete(route).set('Authorization', `Bearer ${admin}`).expect(200);
    expect(again.body.cleared).toBe(true);
    const none = await t.http().delete(route).set('Authorization', `Bearer ${admin}`).expect(200);
    expect(none.body).toMatchObject({ cleared: false, circuit_breaker: { state: 'closed' } });
  });

  it('once the password is changed, logins resume', async () => {
    await t.stop();
    const fixed = await startTestApp({
      database: t.db,
      env: {
        ...targetEnv(sim),
        REDIS_PREFIX: t.redisPrefix,
        TARGET_MAX_RPS: '0',
      },
    });
    try {
      sim.resetStats();
      const result = await fixed.app.get(OsScraperService).scrape('63000', { userId: 'ok' });
      expect(['success', 'not_found']).toContain(result.outcome);
      expect(sim.stats().logins).toEqual({ successful: 1, failed: 0 });
      const health = await fixed.http().get('/api/health').expect(200);
      expect(health.body.status).toBe('ok');
    } finally {
      await fixed.stop();
    }
  });
});
