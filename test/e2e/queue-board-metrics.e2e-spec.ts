import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { osExists } from '../../demo/erp-simulator/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueName } from '../../src/queues/queue-names.js';
import { startTestSimulator, targetEnv, type RunningSimulator } from '../support/simulator.js';
import { waitForTask } from '../support/tasks.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const METRICS_TOKEN = 'metrics-token-for-tests-0123456789';
const QUEUES = ['maintenance', 'scraping', 'scraping_batch'];
/** An OS the simulator has (default seed and not-found rate). */
const EXISTING = String(
  Array.from({ length: 50 }, (_, i) => 2000 + i * 37).find((n) => osExists(n, 1, 0.03)),
);
/** Every kind of path the board serves: its page, a page of a queue, an asset, its API. */
const BOARD_PATHS = [
  '/admin/queues',
  '/admin/queues/queue/scraping',
  '/admin/queues/static/images/logo.svg',
  '/admin/queues/api/queues',
];

/** Prometheus text as `series → value`, series written as exposed (`name{labels}`). */
function parseMetrics(text: string): Map<string, number> {
  const series = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    series.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return series;
}

function expectErrorShape(body: unknown, statusCode: number): void {
  expect(body).toEqual({ statusCode, error: expect.any(String), message: expect.any(String) });
}

describe('queue board and /metrics', () => {
  let sim: RunningSimulator;
  let api: TestApp;
  let worker: TestApp;
  let adminToken: string;
  let userToken: string;

  beforeAll(async () => {
    sim = await startTestSimulator({ layout: 'a' });
    api = await startTestApp({ env: { ...targetEnv(sim), ROLE: 'api', METRICS_TOKEN } });
    worker = await startTestApp({
      database: api.db,
      env: {
        ...targetEnv(sim),
        ROLE: 'worker',
        REDIS_PREFIX: api.redisPrefix,
        JWT_SECRET: api.config.JWT_SECRET!,
        METRICS_TOKEN,
      },
    });
    adminToken = await api.adminToken();
    userToken = (await api.createUser()).token;
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.close();
    await sim?.close();
  });

  it('refuses the queue board to anonymous callers (401) and users (403): page, assets and API', async () => {
    const failures: string[] = [];
    const check = async (
      label: string,
      response: { status: number; body: unknown },
      want: number,
    ) => {
      if (response.status !== want) failures.push(`${label} → ${response.status}`);
      else expectErrorShape(response.body, want);
    };
    const userCookie = `ros_admin_session=${userToken}`;
    for (const path of BOARD_PATHS) {
      await check(`anonymous ${path}`, await api.http().get(path), 401);
      await check(
        `user ${path}`,
        await api.http().get(path).set('Authorization', `Bearer ${userToken}`),
        403,
      );
      // The cookie holds a session id, never a token: a token in its place opens nothing.
      await check(`user cookie ${path}`, await api.http().get(path).set('Cookie', userCookie), 401);
      await check(
        `forged cookie ${path}`,
        await api.http().get(path).set('Cookie', 'ros_admin_session=not-a-token'),
        401,
      );
    }
    // Nor can they act on a queue through the board's API.
    const pause = '/admin/queues/api/queues/scraping/pause';
    await check('anonymous pause', await api.http().put(pause), 401);
    await check(
      'user pause',
      await api.http().put(pause).set('Authorization', `Bearer ${userToken}`),
      403,
    );
    expect(failures).toEqual([]);
    expect(await api.app.get<Queue>(getQueueToken(QueueName.Scraping)).isPaused()).toBe(false);

    // Only an admin's token opens the page's session cookie.
    await check('anonymous session', await api.http().post('/admin/session'), 401);
    await check(
      'user session',
      await api.http().post('/admin/session').set('Authorization', `Bearer ${userToken}`),
      403,
    );
    expect(failures).toEqual([]);
  });

  it('opens the board to an admin, by bearer token and by the admin page cookie', async () => {
    const page = await api.http().get('/admin/queues').set('Authorization', `Bearer ${adminToken}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('<title>RegistroOS · filas</title>');
    expect(page.text).toContain('<base href="/admin/queues/"');

    const byBearer = await api
      .http()
      .get('/admin/queues/api/queues')
      .set('Authorization', `Bearer ${adminToken}`);
    expect(byBearer.status).toBe(200);
    expect(byBearer.body.queues.map((queue: { name: string }) => queue.name).sort()).toEqual(
      QUEUES,
    );

    const session = await api
      .http()
      .post('/admin/session')
      .set('Authorization', `Bearer ${adminToken}`);
    expect(session.status).toBe(204);
    const setCookie = String(session.headers['set-cookie']);
    expect(setCookie).toMatch(/^ros_admin_session=[\w-]{43}; Path=\/admin; Max-Age=28800/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    const cookie = setCookie.split(';')[0]!;
    for (const path of BOARD_PATHS) {
      const response = await api.http().get(path).set('Cookie', cookie);
      expect(response.status, path).toBe(200);
    }
    const byCookie = await api.http().get('/admin/queues/api/queues').set('Cookie', cookie);
    expect(byCookie.body.queues.map((queue: { name: string }) => queue.name).sort()).toEqual(
      QUEUES,
    );

    const logout = await api.http().delete('/admin/session');
    expect(logout.status).toBe(204);
    expect(String(logout.headers['set-cookie'])).toMatch(
      /^ros_admin_session=; Path=\/admin; Max-Age=0/,
    );
  });

  it('serves the board in the api role only', async () => {
    const response = await worker
      .http()
      .get('/admin/queues')
      .set('Authorization', `Bearer ${adminToken}`);
    expect(response.status).toBe(404);
  });

  it('refuses /metrics without the metrics token (401), and to user tokens', async () => {
    for (const app of [api, worker]) {
      const none = await app.http().get('/metrics');
      expect(none.status).toBe(401);
      expectErrorShape(none.body, 401);
      const wrong = await app.http().get('/metrics').set('Authorization', 'Bearer not-the-token');
      expect(wrong.status).toBe(401);
      const user = await app.http().get('/metrics').set('Authorization', `Bearer ${userToken}`);
      expect(user.status).toBe(401);
      const admin = await app.http().get('/metrics').set('Authorization', `Bearer ${adminToken}`);
      expect(admin.status).toBe(401);
    }
  });

  it('answers Prometheus text from every process: its scrapes, queues, pools, alerts and maintenance', async () => {
    const accepted = await api
      .http()
      .post('/api/desenvolvimento/scraping')
      .set('Authorization', `Bearer ${adminToken}`)
      .send({ os_number: EXISTING });
    expect(accepted.status).toBe(202);
    const task = await waitForTask(
      api,
      adminToken,
      `/api/desenvolvimento/scraping-status/${accepted.body.task_id}`,
    );
    expect(task.status).toBe('completed');
    await api.db.query(
      `INSERT INTO scraping_alerts (rule, subject, severity, message, value, threshold)
       VALUES ('queue_backlog', 'scraping_batch', 'warning', 'backlog', 64, 50)`,
    );
    await api.db.query(
      `INSERT INTO maintenance_runs (task, job_id, triggered_by, status, started_at, finished_at, duration_ms)
       VALUES ('clean-jobs', 'clean-jobs:test', 'schedule', 'success', now() - interval '1 minute', now(), 1500)`,
    );

    const read = async (app: TestApp) => {
      const response = await app
        .http()
        .get('/metrics')
        .set('Authorization', `Bearer ${METRICS_TOKEN}`);
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
      return { text: response.text, series: parseMetrics(response.text) };
    };
    const fromWorker = await read(worker);
    const fromApi = await read(api);

    // The scrape is counted by the process that did it.
    expect(fromWorker.text).toContain('registro_os_scrapes_total{outcome="success",path="http"} 1');
    expect(
      fromWorker.series.get(
        'registro_os_scrape_duration_seconds_count{outcome="success",path="http"}',
      ),
    ).toBe(1);
    expect(fromWorker.text).toContain('# TYPE registro_os_scrape_duration_seconds histogram');
    expect(fromApi.series.get('registro_os_scrapes_total{outcome="success",path="http"}')).toBe(0);

    for (const { series, text } of [fromWorker, fromApi]) {
      // Shared figures, the same from every process.
      for (const queue of QUEUES) {
        for (const state of ['waiting', 'active', 'delayed', 'throttled', 'failed']) {
          expect(series.get(`registro_os_queue_jobs{queue="${queue}",state="${state}"}`)).toBe(0);
        }
      }
      expect(
        series.get('registro_os_queue_jobs{queue="scraping",state="completed"}'),
      ).toBeGreaterThanOrEqual(1);
      expect(series.get('registro_os_alerts_open{rule="queue_backlog",severity="warning"}')).toBe(
        1,
      );
      expect(series.get('registro_os_alerts_open{rule="error_rate",severity="warning"}')).toBe(0);
      expect(
        series.get('registro_os_maintenance_runs_24h{task="clean-jobs",status="success"}'),
      ).toBe(1);
      expect(
        series.get(
          'registro_os_maintenance_last_run_timestamp_seconds{task="clean-jobs",status="success"}',
        ),
      ).toBeCloseTo(Date.now() / 1000 - 60, -2);
      expect(
        series.get('registro_os_maintenance_last_run_duration_seconds{task="clean-jobs"}'),
      ).toBe(1.5);
      for (const source of ['queues', 'alerts', 'maintenance']) {
        expect(series.get(`registro_os_metrics_source_up{source="${source}"}`)).toBe(1);
      }
      // This process's pools and prom-client's default process metrics.
      expect(series.has('registro_os_browser_up')).toBe(true);
      expect(series.get('registro_os_browser_contexts_max')).toBe(5);
      expect(series.get('registro_os_browser_scrapes{state="limit"}')).toBe(5);
      expect(series.get('registro_os_browser_scrapes{state="waiting"}')).toBe(0);
      expect(series.has('registro_os_browser_contexts{state="busy"}')).toBe(true);
      for (const reason of ['uses', 'heap', 'broken']) {
        expect(series.has(`registro_os_browser_context_recycles_total{reason="${reason}"}`)).toBe(
          true,
        );
      }
      expect(series.has('registro_os_target_sessions_leased')).toBe(true);
      expect(text).toMatch(/^registro_os_process_resident_memory_bytes \d+/m);
      expect(text).toMatch(/^registro_os_nodejs_eventloop_lag_seconds /m);
    }
    // The worker logged into the target; the api process never did.
    expect(
      fromWorker.series.get('registro_os_target_session_events_total{event="logins"}'),
    ).toBeGreaterThanOrEqual(1);
    expect(fromApi.series.get('registro_os_target_session_events_total{event="logins"}')).toBe(0);
  });

  it('answers 404 as if absent when METRICS_TOKEN is not set', async () => {
    const bare = await startTestApp({ env: { ROLE: 'api' } });
    try {
      // Exactly what the service answers for a path it does not serve.
      const missing = await bare.http().get('/api/nothing-here');
      expect(missing.status).toBe(404);
      for (const headers of [{}, { Authorization: `Bearer ${METRICS_TOKEN}` }]) {
        const response = await bare.http().get('/metrics').set(headers);
        expect(response.status).toBe(404);
        expect(response.body).toEqual({ ...missing.body, message: 'Cannot GET /metrics' });
        expect(missing.body.message).toBe('Cannot GET /api/nothing-here');
      }
    } finally {
      await bare.close();
    }
  });
});
