import { createServer, type Server } from 'node:http';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertsService } from '../../src/admin/alerts/alerts.service.js';
import { QueueName } from '../../src/queues/queue-names.js';
import { freePort } from '../../demo/lib/free-port.js';
import { REDIS_URL } from '../support/test-redis.js';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app.js';
import { insertUsage, type UsageRow } from '../support/usage-rows.js';

interface Received {
  event: string;
  alert: { rule: string; subject: string; state: string };
}

describe('alerts', () => {
  let t: TestApp;
  let user: TestUser;
  let alerts: AlertsService;
  let receiver: Server;
  const received: Received[] = [];
  let failuresLeft = 0;
  let attempts = 0;

  beforeAll(async () => {
    const port = await freePort();
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        attempts += 1;
        if (failuresLeft > 0) {
          failuresLeft -= 1;
          response.writeHead(500).end();
          return;
        }
        received.push(JSON.parse(body) as Received);
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(port, '127.0.0.1', resolve));
    t = await startTestApp({
      env: {
        ROLE: 'api',
        ALERT_WEBHOOK_URL: `http://127.0.0.1:${port}/hook`,
        ALERT_ERROR_RATE_WINDOW_MINUTES: '2',
        ALERT_ERROR_RATE_MIN_SAMPLE: '20',
        ALERT_QUEUE_BACKLOG: '3',
        ALERT_SLOW_OS_SECONDS: '300',
        ALERT_WORKER_MEMORY_MB: '512',
      },
    });
    user = await t.createUser();
    alerts = t.app.get(AlertsService);
  });
  afterAll(async () => {
    await t?.close();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  const openAlerts = () =>
    t.db.query<{ rule: string; subject: string; state: string }>(
      "SELECT rule, subject, state FROM scraping_alerts WHERE state = 'open'",
    );
  const usage = (
    outcome: UsageRow['outcome'],
    count: number,
    durationMs = 500,
    secondsAgo = 30,
  ): UsageRow[] =>
    Array.from({ length: count }, (_, i) => ({
      userId: user.id,
      osNumber: String(i),
      outcome,
      path: 'http',
      attempts: 1,
      durationMs,
      at: new Date(Date.now() - secondsAgo * 1000),
    }));

  it('error rate: opens once past the threshold (with a minimum sample), stays single, resolves, and is POSTed with retries', async () => {
    await insertUsage(t.db, [...usage('failed', 5), ...usage('success', 10)]);
    expect((await alerts.evaluate()).opened).toBe(0); // 15 < minimum sample
    await insertUsage(t.db, usage('failed', 10));
    failuresLeft = 2;
    expect(await alerts.evaluate()).toMatchObject({ opened: 1, open: 1 });
    expect(await alerts.evaluate()).toMatchObject({ opened: 0, updated: 1, open: 1 });
    expect(await openAlerts()).toEqual([{ rule: 'error_rate', subject: 'global', state: 'open' }]);
    const [stored] = await t.db.query<{
      message: string;
      value: number;
      notify_attempts: number;
      notified_at: Date | null;
    }>(
      "SELECT message, value, notify_attempts, notified_at FROM scraping_alerts WHERE rule = 'error_rate'",
    );
    expect(stored!.value).toBe(60);
    expect(stored!.message).toBe(
      'Taxa de erro alta: 60% de 25 OS falharam nos últimos 2 min (limite 20%)',
    );
    expect(stored!.notify_attempts).toBe(3);
    expect(stored!.notified_at).not.toBeNull();
    expect(
      received.filter((event) => event.event === 'opened' && event.alert.rule === 'error_rate'),
    ).toHaveLength(1);
    expect(attempts).toBe(3);

    await insertUsage(t.db, usage('success', 100));
    expect(await alerts.evaluate()).toMatchObject({ resolved: 1, open: 0 });
    expect(received.at(-1)).toMatchObject({
      event: 'resolved',
      alert: { rule: 'error_rate', state: 'resolved' },
    });
    const dashboard = await t
      .http()
      .get('/api/admin/scraping/dashboard?days=1')
      .set('Authorization', `Bearer ${await t.adminToken()}`)
      .expect(200);
    expect(dashboard.body.dashboard_data.alertas).toEqual([]);
  });

  it('slow OS: opens for an OS over the limit, shows in the dashboard, resolves when it leaves the window', async () => {
    await insertUsage(t.db, usage('success', 1, 400_000, 20));
    expect(await alerts.evaluate()).toMatchObject({ opened: 1 });
    const dashboard = await t
      .http()
      .get('/api/admin/scraping/dashboard?days=1')
      .set('Authorization', `Bearer ${await t.adminToken()}`)
      .expect(200);
    expect(dashboard.body.dashboard_data.alertas).toEqual([
      expect.objectContaining({
        rule: 'slow_os',
        subject: 'global',
        value: 400,
        threshold: 300,
        message: 'Tempo de processamento elevado: OS 0 (400 s) acima de 300 s',
      }),
    ]);
    await t.db.query(
      "UPDATE scraping_usage_stats SET created_at = now() - interval '10 minutes' WHERE duration_ms = 400000",
    );
    expect(await alerts.evaluate()).toMatchObject({ resolved: 1, open: 0 });
  });

  it('queue backlog: one alert per queue past the limit, resolved once the queue drains', async () => {
    const queue = t.app.get<Queue>(getQueueToken(QueueName.Maintenance));
    for (let i = 0; i < 5; i += 1) await queue.add({ task: 'clean-jobs', period: `test-${i}` });
    expect(await alerts.evaluate()).toMatchObject({ opened: 1 });
    expect(await openAlerts()).toEqual([
      { rule: 'queue_backlog', subject: 'maintenance', state: 'open' },
    ]);
    await queue.empty();
    expect(await alerts.evaluate()).toMatchObject({ resolved: 1, open: 0 });
  });

  it('worker memory: opens per worker over the limit (Node plus Chromium, from its heartbeat), resolves when it goes', async () => {
    const redis = createClient({ url: REDIS_URL });
    await redis.connect();
    const key = `${t.redisPrefix}:proc:fake-worker`;
    const worker = {
      id: 'fake-worker',
      role: 'worker',
      memory: { node_rss_mb: 300, chromium_pss_mb: 600, total_mb: 900 },
    };
    await redis.set(key, JSON.stringify(worker), { expiration: { type: 'PX', value: 60_000 } });
    expect(await alerts.evaluate()).toMatchObject({ opened: 1 });
    expect(await openAlerts()).toEqual([
      { rule: 'worker_memory', subject: 'fake-worker', state: 'open' },
    ]);
    // Worker details are for admins; a user sees the count only.
    const status = await t
      .http()
      .get('/api/desenvolvimento/scraping-queue-status')
      .set('Authorization', `Bearer ${await t.adminToken()}`)
      .expect(200);
    expect(status.body.workers).toEqual([
      expect.objectContaining({ id: 'fake-worker', memory: worker.memory }),
    ]);
    await redis.del(key);
    await redis.close();
    expect(await alerts.evaluate()).toMatchObject({ resolved: 1, open: 0 });
  });
});
