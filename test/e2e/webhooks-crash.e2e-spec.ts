import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Workers } from '../support/workers.js';
import { startTestSimulator, targetEnv, type RunningSimulator } from '../support/simulator.js';
import { waitForTask } from '../support/tasks.js';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app.js';

describe('webhook deliveries survive their workers', () => {
  let sim: RunningSimulator;
  let api: TestApp;
  let user: TestUser;
  let receiver: Server;
  let receiverUrl: string;
  const workers = new Workers(
    () => api,
    () => sim,
    () => settings,
  );
  /** While true the receiver holds every request open: the worker is caught mid-delivery. */
  let holding = true;
  const held: ServerResponse[] = [];
  const delivered = new Set<string>();
  const requests: string[] = [];
  const settings = {
    RATE_LIMIT_BATCHES_PER_HOUR: '1000',
    TARGET_MAX_RPS: '0',
    QUEUE_LOCK_DURATION_MS: '4000',
    WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'true',
    WEBHOOK_BACKOFF_MS: '100',
    WEBHOOK_TIMEOUT_MS: '60000',
  };

  const startWorker = () => workers.start();

  beforeAll(async () => {
    sim = await startTestSimulator({ layout: 'a', notFoundRate: 0 });
    receiver = createServer((req, res) => {
      const id = String(req.headers['x-registroos-delivery']);
      requests.push(id);
      req.resume();
      req.on('end', () => {
        if (holding) {
          held.push(res);
          return;
        }
        delivered.add(id);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    api = await startTestApp({ env: { ...targetEnv(sim), ...settings, ROLE: 'api' } });
    user = await api.createUser();
  });
  afterAll(async () => {
    await workers.stopAll(true);
    await api?.close();
    await sim?.close();
    receiver?.closeAllConnections();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it('delivers every committed event after the sending worker is killed with SIGKILL', async () => {
    await api
      .http()
      .post('/api/desenvolvimento/webhooks')
      .set('Authorization', `Bearer ${user.token}`)
      .send({ url: receiverUrl, events: ['batch.completed'] })
      .expect(201);
    const first = await startWorker();
    const taskIds: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      const accepted = await api
        .http()
        .post('/api/desenvolvimento/scraping-batch')
        .set('Authorization', `Bearer ${user.token}`)
        .send({ os_numbers: [String(9100 + i * 2), String(9101 + i * 2)] })
        .expect(202);
      taskIds.push(accepted.body.task_id as string);
    }
    for (const id of taskIds)
      await waitForTask(api, user.token, `/api/desenvolvimento/scraping-batch-status/${id}`);
    // Every batch end wrote its delivery with it; the worker is now stuck sending one of them.
    const [{ n }] = await api.db.query<{ n: string }>(
      'SELECT count(*) AS n FROM webhook_deliveries',
    );
    expect(Number(n)).toBe(4);
    await expect.poll(() => requests.length, { timeout: 60_000 }).toBeGreaterThan(0);
    expect(await first.stop('SIGKILL')).toBeNull();
    const caughtMidDelivery = [...new Set(requests)];
    for (const res of held.splice(0)) res.destroy();
    holding = false;

    await startWorker();
    await expect
      .poll(
        async () =>
          (
            await api.db.query<{ status: string }>(
              `SELECT status FROM webhook_deliveries WHERE status <> 'delivered'`,
            )
          ).length,
        { timeout: 120_000, interval: 250 },
      )
      .toBe(0);
    const rows = await api.db.query<{ id: string; task_id: string }>(
      `SELECT id, payload->'data'->>'task_id' AS task_id FROM webhook_deliveries`,
    );
    expect(rows.map((row) => row.task_id).sort()).toEqual([...taskIds].sort());
    // Every delivery reached the receiver; those cut off by the kill were sent again, same id.
    expect([...delivered].sort()).toEqual(rows.map((row) => row.id).sort());
    for (const id of caughtMidDelivery) {
      expect(delivered.has(id)).toBe(true);
      expect(requests.filter((request) => request === id).length).toBeGreaterThanOrEqual(2);
    }
  });
});
