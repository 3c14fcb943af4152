import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScrapeOutcomeWriter } from '../../src/scraping/scrape-outcome.writer.js';
import { verifyWebhook } from '../../src/webhooks/webhook-signature.js';
import { startTestSimulator, targetEnv, type RunningSimulator } from '../support/simulator.js';
import { waitForTask } from '../support/tasks.js';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  answered: number;
}

/** A receiver that fails the first `failures` requests of each delivery with 500. */
async function startReceiver(
  failures: number,
): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const seen = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const id = String(req.headers['x-registroos-delivery']);
      const count = (seen.get(id) ?? 0) + 1;
      seen.set(id, count);
      const answered = count <= failures ? 500 : 200;
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString(), answered });
      res.writeHead(answered).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    server,
  };
}

const SECRET = 'a-receiver-chosen-secret-of-40-characters!';

describe('webhooks', () => {
  let sim: RunningSimulator;
  let t: TestApp;
  let owner: TestUser;
  let other: TestUser;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const auth = (user: TestUser) => ({ Authorization: `Bearer ${user.token}` });

  beforeAll(async () => {
    sim = await startTestSimulator({ layout: 'a', notFoundRate: 0 });
    receiver = await startReceiver(2);
    t = await startTestApp({
      env: {
        ...targetEnv(sim),
        RATE_LIMIT_BATCHES_PER_HOUR: '1000',
        TARGET_MAX_RPS: '0',
        WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'true',
        WEBHOOK_BACKOFF_MS: '50',
        WEBHOOK_MAX_ATTEMPTS: '5',
      },
    });
    owner = await t.createUser();
    other = await t.createUser();
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
    await new Promise((resolve) => receiver?.server.close(resolve));
  });

  it.each([
    [
      'an ftp URL',
      { url: 'ftp://example.com/x', events: ['os.changed'] },
      'url must be an absolute http or https URL',
    ],
    [
      'credentials in the URL',
      { url: 'https://user:pw@example.com/x', events: ['os.changed'] },
      'url must not carry credentials (use the signing secret)',
    ],
    [
      'an unknown event',
      { url: 'https://example.com/x', events: ['os.deleted'] },
      'events must be among batch.completed, batch.failed, os.changed',
    ],
    [
      'no events',
      { url: 'https://example.com/x', events: [] },
      'events must name at least one event',
    ],
    [
      'a short secret',
      { url: 'https://example.com/x', events: ['os.changed'], secret: 'short' },
      'secret must be at least 32 characters',
    ],
  ])('refuses %s with 400 naming it', async (_case, body, message) => {
    const response = await t
      .http()
      .post('/api/desenvolvimento/webhooks')
      .set(auth(owner))
      .send(body);
    expect(response.status).toBe(400);
    expect(response.body.message).toBe(message);
  });

  it('signs, retries after 500s, logs and redelivers with the same id; os.changed on a new version', async () => {
    const created = await t
      .http()
      .post('/api/desenvolvimento/webhooks')
      .set(auth(owner))
      .send({ url: receiver.url, events: ['batch.completed', 'os.changed'], secret: SECRET })
      .expect(201);
    expect(created.body.secret).toBe(SECRET);
    const hookId = created.body.id as string;
    const shown = await t
      .http()
      .get(`/api/desenvolvimento/webhooks/${hookId}`)
      .set(auth(owner))
      .expect(200);
    expect(JSON.stringify(shown.body)).not.toContain(SECRET);
    const listed = await t.http().get('/api/desenvolvimento/webhooks').set(auth(owner)).expect(200);
    expect(JSON.stringify(listed.body)).not.toContain(SECRET);
    await t.http().get(`/api/desenvolvimento/webhooks/${hookId}`).set(auth(other)).expect(404);
    await t
      .http()
      .get(`/api/desenvolvimento/webhooks/${hookId}/deliveries`)
      .set(auth(other))
      .expect(404);

    const scrape = async () => {
      const accepted = await t
        .http()
        .post('/api/desenvolvimento/scraping-batch')
        .set(auth(owner))
        .send({ os_numbers: ['7001', '7002'] })
        .expect(202);
      await waitForTask(
        t,
        owner.token,
        `/api/desenvolvimento/scraping-batch-status/${accepted.body.task_id}`,
      );
      return accepted.body.task_id as string;
    };
    const taskId = await scrape();
    const deliveredOf = (event: string) =>
      receiver.received.filter(
        (r) => r.headers['x-registroos-event'] === event && r.answered === 200,
      );
    await expect.poll(() => deliveredOf('batch.completed').length, { timeout: 60_000 }).toBe(1);

    const tries = receiver.received.filter(
      (r) => r.headers['x-registroos-event'] === 'batch.completed',
    );
    expect(tries.map((r) => r.answered)).toEqual([500, 500, 200]);
    expect(new Set(tries.map((r) => r.headers['x-registroos-delivery'])).size).toBe(1);
    for (const request of tries) {
      expect(
        verifyWebhook(
          SECRET,
          {
            timestamp: String(request.headers['x-registroos-timestamp']),
            signature: String(request.headers['x-registroos-signature']),
          },
          request.body,
        ),
      ).toBe(true);
      expect(
        verifyWebhook(
          'another-secret-another-secret-another',
          {
            timestamp: String(request.headers['x-registroos-timestamp']),
            signature: String(request.headers['x-registroos-signature']),
          },
          request.body,
        ),
      ).toBe(false);
    }
    expect(JSON.parse(tries[2]!.body)).toMatchObject({
      event: 'batch.completed',
      data: { task_id: taskId },
    });

    const deliveries = async () =>
      (
        await t
          .http()
          .get(`/api/desenvolvimento/webhooks/${hookId}/deliveries`)
          .set(auth(owner))
          .expect(200)
      ).body.items as Array<{ id: string; status: string }>;
    // The receiver answers before the worker records the answer.
    await expect
      .poll(async () => (await deliveries())[0]?.status, { timeout: 30_000 })
      .toBe('delivered');
    const log = await t
      .http()
      .get(`/api/desenvolvimento/webhooks/${hookId}/deliveries`)
      .set(auth(owner))
      .expect(200);
    expect(log.body.items).toHaveLength(1);
    const delivery = log.body.items[0];
    expect(delivery).toMatchObject({
      id: tries[0]!.headers['x-registroos-delivery'],
      event: 'batch.completed',
      status: 'delivered',
      attempts: 3,
      last_status_code: 200,
    });

    // Redelivery: the same delivery id again, so the receiver can tell it is a repeat.
    const redelivered = await t
      .http()
      .post(`/api/desenvolvimento/webhooks/${hookId}/deliveries/${delivery.id}/redeliver`)
      .set(auth(owner))
      .expect(202);
    expect(redelivered.body).toMatchObject({ id: delivery.id, status: 'pending', attempts: 0 });
    await t
      .http()
      .post(`/api/desenvolvimento/webhooks/${hookId}/deliveries/${delivery.id}/redeliver`)
      .set(auth(other))
      .expect(404);
    await expect
      .poll(
        () =>
          receiver.received.filter(
            (r) => r.headers['x-registroos-delivery'] === delivery.id && r.answered === 200,
          ).length,
        { timeout: 30_000 },
      )
      .toBe(2);

    // Unchanged re-read: a batch event but no os.changed; an edited OS: os.changed at version 2.
    await scrape();
    sim.edit(7002, { tecnico: 'Técnico Substituto da Silva' });
    await scrape();
    await expect.poll(() => deliveredOf('batch.completed').length, { timeout: 60_000 }).toBe(4);
    await expect.poll(() => deliveredOf('os.changed').length, { timeout: 60_000 }).toBe(1);
    expect(JSON.parse(deliveredOf('os.changed')[0]!.body)).toMatchObject({
      event: 'os.changed',
      data: { os_number: '7002', version: 2 },
    });

    // A batch that recovery gives up on (the writer's one way to fail a batch): batch.failed,
    // to its owner's webhooks only, and only for those subscribed to it.
    const failing = await t
      .http()
      .post('/api/desenvolvimento/webhooks')
      .set(auth(owner))
      .send({ url: receiver.url, events: ['batch.failed'] })
      .expect(201);
    const [stuck] = await t.db.query<{ id: string }>(
      `INSERT INTO scraping_batch_stats (user_id, name, total, state) VALUES ($1, 'stuck', 0, 'running') RETURNING id`,
      [owner.id],
    );
    await t.app.get(ScrapeOutcomeWriter).fail(stuck!.id, 'did not finish after 5 runs');
    await t.app.get(ScrapeOutcomeWriter).fail(stuck!.id, 'did not finish after 5 runs');
    await expect.poll(() => deliveredOf('batch.failed').length, { timeout: 60_000 }).toBe(1);
    expect(JSON.parse(deliveredOf('batch.failed')[0]!.body)).toMatchObject({
      event: 'batch.failed',
      data: { task_id: stuck!.id, error: 'did not finish after 5 runs' },
    });
    const [{ n }] = await t.db.query<{ n: string }>(
      'SELECT count(*) AS n FROM webhook_deliveries WHERE webhook_id = $1',
      [failing.body.id],
    );
    expect(Number(n)).toBe(1);

    await t.http().delete(`/api/desenvolvimento/webhooks/${hookId}`).set(auth(owner)).expect(200);
    await t.http().get(`/api/desenvolvimento/webhooks/${hookId}`).set(auth(owner)).expect(404);
  });
});
