import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareEventIds } from '../../src/batch/batch-events.service.js';
import {
  startTestSimulator,
  targetEnv,
  truthOf,
  type RunningSimulator,
} from '../support/simulator.js';
import { readSse } from '../support/sse.js';
import { waitForTask } from '../support/tasks.js';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app.js';

const numbers = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => String(from + i));

describe('batch API', () => {
  let sim: RunningSimulator;
  let t: TestApp;
  let owner: TestUser;
  let other: TestUser;
  const auth = (user: TestUser) => ({ Authorization: `Bearer ${user.token}` });

  beforeAll(async () => {
    sim = await startTestSimulator({ layout: 'a', latencyMs: 20 });
    t = await startTestApp({
      listen: true,
      env: { ...targetEnv(sim), RATE_LIMIT_BATCHES_PER_HOUR: '1000', TARGET_MAX_RPS: '0' },
    });
    owner = await t.createUser();
    other = await t.createUser();
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  async function batchRows(): Promise<number> {
    const [{ n }] = await t.db.query<{ n: string }>(
      'SELECT count(*) AS n FROM scraping_batch_stats',
    );
    return Number(n);
  }

  it.each([
    ['no numbers', { os_numbers: [] }, 'os_numbers must contain at least 1 elements'],
    [
      '101 numbers',
      { os_numbers: numbers(1000, 101) },
      'os_numbers must contain no more than 100 distinct OS numbers',
    ],
    [
      'a malformed number',
      { os_numbers: ['123', '12a4', '456'] },
      'os_numbers[1] must match the OS number pattern ^[0-9]{1,7}$',
    ],
    ['a string instead of an array', { os_numbers: '123,456' }, 'os_numbers must be an array'],
    ['numbers as numbers', { os_numbers: [123] }, 'each value in os_numbers must be a string'],
    [
      'a 1 MB name',
      { os_numbers: ['123'], batch_name: 'x'.repeat(1_048_576) },
      'batch_name must be shorter than or equal to 200 characters',
    ],
    [
      'an unknown field',
      { os_numbers: ['123'], priority: 'high' },
      'property priority should not exist',
    ],
    ['no body', undefined, 'os_numbers must be an array'],
  ])('answers 400 naming the field for %s, and writes nothing', async (_case, body, message) => {
    const response = await t
      .http()
      .post('/api/desenvolvimento/scraping-batch')
      .set(auth(owner))
      .send(body as object);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message });
    expect(await batchRows()).toBe(0);
  });

  it('merges duplicates, names unnamed batches, and hides a batch from other users (404) but not from admins', async () => {
    const accepted = await t
      .http()
      .post('/api/desenvolvimento/scraping-batch')
      .set(auth(owner))
      .send({ os_numbers: ['1001', '1002', '1001', ' 1002 '] })
      .expect(202);
    expect(accepted.body).toMatchObject({
      status: 'processing',
      state: 'queued',
      total: 2,
      batch_name: expect.stringMatching(/^Lote \d{4}-\d\d-\d\d \d\d:\d\d \(2 OS\)$/),
    });
    const id = accepted.body.task_id as string;
    await t
      .http()
      .get(`/api/desenvolvimento/scraping-batch-status/${id}`)
      .set(auth(other))
      .expect(404);
    await t
      .http()
      .get(`/api/desenvolvimento/scraping-batch/${id}/results`)
      .set(auth(other))
      .expect(404);
    await t
      .http()
      .post(`/api/desenvolvimento/scraping-batch/${id}/cancel`)
      .set(auth(other))
      .expect(404);
    await t
      .http()
      .get(`/api/desenvolvimento/scraping-batch-status/${id}`)
      .set('Authorization', `Bearer ${await t.adminToken()}`)
      .expect(200);
    await t
      .http()
      .get('/api/desenvolvimento/scraping-batch-status/../../etc/passwd')
      .set(auth(owner))
      .expect(404);
    const bad = await t
      .http()
      .get('/api/desenvolvimento/scraping-batch-status/%2e%2e%2f')
      .set(auth(owner));
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('task_id must be a UUID');
    await waitForTask(t, owner.token, `/api/desenvolvimento/scraping-batch-status/${id}`);
  });

  it('returns the same task_id for a repeated Idempotency-Key, even at the same moment', async () => {
    const send = () =>
      t
        .http()
        .post('/api/desenvolvimento/scraping-batch')
        .set(auth(owner))
        .set('Idempotency-Key', 'pedido-7781')
        .send({ os_numbers: ['2001', '2002'] });
    const [a, b] = await Promise.all([send(), send()]);
    const c = await send();
    expect([a.status, b.status, c.status]).toEqual([202, 202, 202]);
    expect(new Set([a.body.task_id, b.body.task_id, c.body.task_id]).size).toBe(1);
    const [{ n }] = await t.db.query<{ n: string }>(
      "SELECT count(*) AS n FROM scraping_batch_stats WHERE idempotency_key = 'pedido-7781'",
    );
    expect(Number(n)).toBe(1);
    // Keys are per user.
    const theirs = await t
      .http()
      .post('/api/desenvolvimento/scraping-batch')
      .set(auth(other))
      .set('Idempotency-Key', 'pedido-7781')
      .send({ os_numbers: ['2001'] })
      .expect(202);
    expect(theirs.body.task_id).not.toBe(a.body.task_id);
    const invalid = await t
      .http()
      .post('/api/desenvolvimento/scraping-batch')
      .set(auth(owner))
      .set('Idempotency-Key', 'x'.repeat(200))
      .send({ os_numbers: ['1'] });
    expect(invalid.status).toBe(400);
    expect(invalid.body.message).toBe('Idempotency-Key must be 1-128 visible ASCII characters');
    await waitForTask(
      t,
      owner.token,
      `/api/desenvolvimento/scraping-batch-status/${a.body.task_id}`,
    );
  });

  it('streams progress and per-OS events in order, then a final event, then closes', async () => {
    sim.update({ latencyMs: 60 });
    const osNumbers = numbers(3000, 12);
    const accepted = await t
      .http()
      .post('/api/desenvolvimento/scraping-batch')
      .set(auth(owner))
      .send({ os_numbers: osNumbers, batch_name: 'SSE' })
      .expect(202);
    const events = await readSse(
      `${t.url}/api/desenvolvimento/scraping-batch/${accepted.body.task_id}/events`,
      owner.token,
    );
    sim.update({ latencyMs: 20 });
    const kinds = events.map((event) => event.event).filter((kind) => kind !== 'ping');
    expect(kinds[0]).toBe('progress');
    expect(kinds.at(-1)).toBe('final');
    expect(kinds.filter((kind) => kind === 'final')).toHaveLength(1);
    const items = events
      .filter((event) => event.event === 'item')
      .map((event) => event.data as { os_number: string });
    expect(items.length).toBeGreaterThan(0);
    expect(new Set(items.map((item) => item.os_number)).size).toBe(items.length);
    const progress = events
      .filter((event) => event.event === 'progress')
      .map((event) => (event.data as { processed: number }).processed);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    const ids = events.filter((event) => event.id).map((event) => event.id!);
    expect(ids).toEqual([...ids].sort(compareEventIds));
    const final = events.at(-1)!.data as {
      status: string;
      processed: number;
      result: { items: unknown[] };
    };
    expect(final).toMatchObject({ status: 'completed', processed: 12 });
    expect(final.result.items).toHaveLength(12);
    // A finished batch answers at once with its final event.
    const again = await readSse(
      `${t.url}/api/desenvolvimento/scraping-batch/${accepted.body.task_id}/events`,
      owner.token,
    );
    expect(again.map((event) => event.event)).toEqual(['final']);
  });

  it('streams results as JSON and as CSV a spreadsheet opens with accents', async () => {
    const osNumbers = numbers(4000, 8);
    const accepted = await t
      .http()
      .post('/api/desenvolvimento/scraping-batch')
      .set(auth(owner))
      .send({ os_numbers: osNumbers })
      .expect(202);
    const id = accepted.body.task_id as string;
    await waitForTask(t, owner.token, `/api/desenvolvimento/scraping-batch-status/${id}`);

    const json = await t
      .http()
      .get(`/api/desenvolvimento/scraping-batch/${id}/results?format=json`)
      .set(auth(owner))
      .expect(200);
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    const parsed = JSON.parse(json.text) as {
      items: Array<{ os_number: string; outcome: string; data: unknown }>;
    };
    expect(parsed.items.map((item) => item.os_number)).toEqual(osNumbers);
    for (const item of parsed.items) {
      const truth = await truthOf(sim, item.os_number);
      expect(item.outcome).toBe(truth ? 'success' : 'not_found');
      expect(item.data).toEqual(truth);
    }

    const csv = await t
      .http()
      .get(`/api/desenvolvimento/scraping-batch/${id}/results?format=csv`)
      .set(auth(owner))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="lote-${id}.csv"`);
    const bytes = csv.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).split('\r\n').filter(Boolean);
    expect(lines[0]!.split(';').slice(0, 7)).toEqual([
      'os_number',
      'outcome',
      'path',
      'attempts',
      'duration_ms',
      'error',
      'os_number',
    ]);
    expect(lines).toHaveLength(1 + osNumbers.length);
    const found = parsed.items.find((item) => item.outcome === 'success')!;
    const truth = (await truthOf(sim, found.os_number)) as Record<string, string>;
    const row = lines.find((line) => line.startsWith(`${found.os_number};`))!;
    expect(row).toContain(
      truth.cliente_nome.includes(';') ? `"${truth.cliente_nome}"` : truth.cliente_nome,
    );
    expect(bytes.toString('utf8')).toMatch(/[áéíóúãõç]/);

    await t
      .http()
      .get(`/api/desenvolvimento/scraping-batch/${id}/results?format=xml`)
      .set(auth(owner))
      .expect(400);
  });

  it("lists the caller's batches, newest first, filtered by state", async () => {
    const all = await t
      .http()
      .get('/api/desenvolvimento/scraping-batches?page=1&page_size=100')
      .set(auth(owner))
      .expect(200);
    expect(all.body.total).toBeGreaterThanOrEqual(4);
    const created = all.body.items.map((item: { created_at: string }) =>
      Date.parse(item.created_at),
    );
    expect(created).toEqual([...created].sort((a, b) => b - a));
    expect(all.body.items.every((item: { result: unknown }) => item.result === null)).toBe(true);
    const completed = await t
      .http()
      .get('/api/desenvolvimento/scraping-batches?state=completed')
      .set(auth(owner))
      .expect(200);
    expect(
      completed.body.items.every((item: { state: string }) => item.state === 'completed'),
    ).toBe(true);
    const theirs = await t
      .http()
      .get('/api/desenvolvimento/scraping-batches')
      .set(auth(other))
      .expect(200);
    expect(theirs.body.total).toBe(1);
    await t
      .http()
      .get('/api/desenvolvimento/scraping-batches?state=done')
      .set(auth(owner))
      .expect(400);
  });
});
