import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumDescendants } from '../support/processes.js';
import { profileVariant } from '../support/profile-variant.js';
import { ServiceProcess } from '../support/service-process.js';
import {
  mapConcurrently,
  startTestSimulator,
  targetEnv,
  truthOf,
  type RunningSimulator,
} from '../support/simulator.js';
import { waitForTask } from '../support/tasks.js';
import { startTestApp, testEnv, type TestApp } from '../support/test-app.js';

/** Limits that must hold across machines live in Redis: two worker processes share them. */
describe('two worker processes against one target', () => {
  let sim: RunningSimulator;
  let api: TestApp;
  const workers: ServiceProcess[] = [];
  const limits = {
    TARGET_MAX_CONCURRENCY: '3',
    TARGET_MAX_SESSIONS: '3',
    TARGET_MAX_RPS: '0',
    QUEUE_SCRAPING_CONCURRENCY: '4',
    RATE_LIMIT_OS_PER_HOUR: '100000',
    SCRAPE_BACKLOG_CAP: '1000',
  };

  beforeAll(async () => {
    sim = await startTestSimulator({ layout: 'a', latencyMs: 40, jitterMs: 20, maxSessions: 3 });
    api = await startTestApp({ env: { ...targetEnv(sim), ...limits, ROLE: 'api' } });
    for (let i = 0; i < 2; i += 1) {
      const worker = await ServiceProcess.start(['worker'], {
        ...testEnv(api.db, api.redisPrefix),
        ...targetEnv(sim),
        ...limits,
        JWT_SECRET: api.config.JWT_SECRET!,
      });
      workers.push(worker);
    }
    await Promise.all(workers.map((worker) => worker.waitUntilUp()));
  });
  afterAll(async () => {
    for (const worker of workers) await worker.stop();
    await api?.close();
    await sim?.close();
  });

  it('never exceeds TARGET_MAX_CONCURRENCY in flight nor the session cap, and reads every OS right', async () => {
    const user = await api.createUser();
    sim.resetStats();
    const numbers = Array.from({ length: 60 }, (_, i) => String(70_000 + i * 7));
    const ids = await mapConcurrently(numbers, 10, async (osNumber) => {
      const response = await api
        .http()
        .post('/api/desenvolvimento/scraping')
        .set('Authorization', `Bearer ${user.token}`)
        .send({ os_number: osNumber })
        .expect(202);
      return response.body.task_id as string;
    });
    const statuses = await mapConcurrently(ids, 5, (id) =>
      waitForTask(api, user.token, `/api/desenvolvimento/scraping-status/${id}`),
    );

    const wrong: string[] = [];
    for (const [index, osNumber] of numbers.entries()) {
      const truth = await truthOf(sim, osNumber);
      const item = (statuses[index]!.result as { items: Array<{ outcome: string }> }).items[0]!;
      if (item.outcome !== (truth ? 'success' : 'not_found'))
        wrong.push(`${osNumber}: ${JSON.stringify(item)}`);
      if (truth) {
        const [row] = await api.db.query<{ data: unknown }>(
          'SELECT data FROM scraped_orders WHERE os_number = $1',
          [osNumber],
        );
        if (!isDeepStrictEqual(row?.data, truth)) wrong.push(`${osNumber}: stored data differs`);
      }
    }
    expect(wrong).toEqual([]);

    const stats = sim.stats();
    expect(stats.peakInFlight).toBeLessThanOrEqual(3);
    expect(stats.peakInFlight).toBeGreaterThanOrEqual(2);
    expect(stats.peakActiveSessions).toBeLessThanOrEqual(3);
    expect(stats.sessionsEvicted).toBe(0);
    // The API process never scrapes: every request reached the target from the workers.
    expect(stats.requestsByRoute['GET /os/detalhe']).toBe(numbers.length);
  });

  it('drains on SIGTERM and exits 0 with no error logged', async () => {
    const codes = await Promise.all(workers.map((worker) => worker.stop('SIGTERM')));
    expect(codes).toEqual([0, 0]);
    for (const worker of workers) {
      expect(worker.output.join('\n')).not.toMatch(/"level":50/);
    }
  });

  it.each(['SIGTERM', 'SIGKILL'] as const)(
    'leaves no Chromium behind when a browser worker ends by %s',
    async (signal) => {
      const worker = await ServiceProcess.start(['worker'], {
        ...testEnv(api.db, api.redisPrefix),
        ...targetEnv(sim),
        ...limits,
        TARGET_PROFILE: profileVariant('profiles/erp-simulator.json', (profile) => {
          profile.side_requests[0].url_template = '/os/itens-inexistente.json?id={detail_id}';
        }),
      });
      await worker.waitUntilUp();
      const user = await api.createUser();
      const response = await api
        .http()
        .post('/api/desenvolvimento/scraping')
        .set('Authorization', `Bearer ${user.token}`)
        .send({ os_number: '70007' })
        .expect(202);
      const status = await waitForTask(
        api,
        user.token,
        `/api/desenvolvimento/scraping-status/${response.body.task_id}`,
      );
      expect((status.result as { paths: Record<string, number> }).paths.browser).toBe(1);
      const browsers = chromiumDescendants(worker.pid);
      expect(browsers.length).toBeGreaterThan(0);

      const code = await worker.stop(signal);
      expect(code).toBe(signal === 'SIGTERM' ? 0 : null);
      await expect.poll(() => browsers.filter(isAlive), { timeout: 30_000 }).toEqual([]);
    },
  );
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
