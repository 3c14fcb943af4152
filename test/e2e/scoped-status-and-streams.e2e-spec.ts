import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueName } from '../../src/queues/queue-names.js';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app.js';
import { insertUsage } from '../support/usage-rows.js';

const STREAM_CAP = 3;

/** What one user may see of the service's operations, and how many streams one user may hold. */
describe('scoped queue status and the per-user stream cap', () => {
  let t: TestApp;
  let maria: TestUser;
  let joao: TestUser;

  beforeAll(async () => {
    // A worker in the process (it shows in `workers`), with the batch queue paused so batches
    // stay open while their streams are watched.
    t = await startTestApp({
      env: { SSE_MAX_STREAMS_PER_USER: String(STREAM_CAP) },
      listen: true,
    });
    await t.app.get<Queue>(getQueueToken(QueueName.Batch)).pause();
    maria = await t.createUser();
    joao = await t.createUser();
  });
  afterAll(() => t?.close());

  it('shows a user only their own recent errors and no worker details; an admin sees everything', async () => {
    const failure = (userId: string, osNumber: string) => ({
      userId,
      osNumber,
      outcome: 'failed' as const,
      path: 'http' as const,
      attempts: 3,
      durationMs: 900,
      at: new Date(),
    });
    await insertUsage(t.db, [
      failure(maria.id, '111'),
      failure(maria.id, '112'),
      failure(joao.id, '221'),
    ]);
    await t.db.query(
      `UPDATE scraping_usage_stats SET error_code = 'target_error', error_message = 'Erro no ERP da OS ' || os_number`,
    );
    const statusOf = async (token: string) =>
      (
        await t
          .http()
          .get('/api/desenvolvimento/scraping-queue-status')
          .set('Authorization', `Bearer ${token}`)
          .expect(200)
      ).body as {
        workers: Array<Record<string, unknown>>;
        workers_connected: number;
        last_errors: Array<{ os_number: string; error_message: string }>;
        queues: Record<string, unknown>;
      };
    const KEYS = [
      'circuit_breaker',
      'generated_at',
      'inline_fallback',
      'last_errors',
      'path_choice',
      'queues',
      'redis',
      'workers',
      'workers_connected',
    ];

    // The app (role `all`) counts as a worker once its heartbeat has published it.
    await expect
      .poll(async () => (await statusOf(maria.token)).workers_connected, { timeout: 15_000 })
      .toBeGreaterThanOrEqual(1);
    const asMaria = await statusOf(maria.token);
    expect(Object.keys(asMaria).sort()).toEqual(KEYS);
    expect(asMaria.last_errors.map((error) => error.os_number).sort()).toEqual(['111', '112']);
    expect(JSON.stringify(asMaria)).not.toContain('221');
    expect(asMaria.workers).toEqual([]);
    expect(asMaria.workers_connected).toBeGreaterThanOrEqual(1);
    expect(Object.keys(asMaria.queues).sort()).toEqual([
      'maintenance',
      'scraping',
      'scraping_batch',
    ]);

    const asJoao = await statusOf(joao.token);
    expect(asJoao.last_errors.map((error) => error.os_number)).toEqual(['221']);
    expect(asJoao.last_errors[0]!.error_message).toBe('Erro no ERP da OS 221');

    const asAdmin = await statusOf(await t.adminToken());
    expect(Object.keys(asAdmin).sort()).toEqual(KEYS);
    expect(asAdmin.last_errors.map((error) => error.os_number).sort()).toEqual([
      '111',
      '112',
      '221',
    ]);
    expect(asAdmin.workers.length).toBe(asAdmin.workers_connected);
    expect(asAdmin.workers[0]).toHaveProperty('sessions');
  });

  it(`holds at ${STREAM_CAP} event streams per user: the next one is 429, another user is not affected, a closed one frees its place`, async () => {
    const batch = await t
      .http()
      .post('/api/desenvolvimento/scraping-batch')
      .set('Authorization', `Bearer ${maria.token}`)
      .send({ os_numbers: ['5001', '5002'] })
      .expect(202);
    const url = `${t.url}/api/desenvolvimento/scraping-batch/${batch.body.task_id}/events`;
    const open: AbortController[] = [];
    /** Opens a stream and keeps it open; a refusal is read whole. */
    const stream = async (token: string) => {
      const controller = new AbortController();
      const response = await fetch(url, {
        headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' },
        signal: controller.signal,
      });
      if (response.ok) {
        open.push(controller);
        return { status: response.status, message: '', retryAfter: 0 };
      }
      const body = (await response.json()) as { message: string };
      return {
        status: response.status,
        message: body.message,
        retryAfter: Number(response.headers.get('retry-after')),
      };
    };
    try {
      // Opened all at once: the cap holds for a burst, not only one by one.
      const burst = await Promise.all(
        Array.from({ length: STREAM_CAP + 5 }, () => stream(maria.token)),
      );
      const statuses = burst.map((response) => response.status).sort();
      expect(statuses).toEqual([
        ...Array<number>(STREAM_CAP).fill(200),
        ...Array<number>(5).fill(429),
      ]);
      const refused = burst.find((response) => response.status === 429)!;
      expect(refused.message).toBe(
        `you already have ${STREAM_CAP} event streams open (limit ${STREAM_CAP}); close one or poll scraping-batch-status instead`,
      );
      expect(refused.retryAfter).toBeGreaterThan(0);

      // An admin watching the same batch has streams of their own.
      const admin = await stream(await t.adminToken());
      expect(admin.status).toBe(200);

      // Closing one frees its place (once the server has seen the connection end).
      open.shift()!.abort();
      await expect
        .poll(async () => (await stream(maria.token)).status, { timeout: 20_000, interval: 200 })
        .toBe(200);
      expect((await stream(maria.token)).status).toBe(429);
    } finally {
      for (const controller of open) controller.abort();
    }
  });
});
