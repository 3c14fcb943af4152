import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSimulator, targetEnv, type RunningSimulator } from '../support/simulator.js';
import { waitForTask } from '../support/tasks.js';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app.js';

interface FeedPage {
  items: Array<{ os_number: string; version: number; data: Record<string, unknown> }>;
  next_cursor: string | null;
  has_more: boolean;
}

const OS_NUMBERS = ['6001', '6002', '6003', '6004', '6005'];

describe('change feed of stored OS', () => {
  let sim: RunningSimulator;
  let t: TestApp;
  let user: TestUser;
  let startedAt: string;

  beforeAll(async () => {
    sim = await startTestSimulator({ layout: 'a', notFoundRate: 0 });
    t = await startTestApp({
      env: { ...targetEnv(sim), RATE_LIMIT_BATCHES_PER_HOUR: '1000', TARGET_MAX_RPS: '0' },
    });
    user = await t.createUser();
    startedAt = new Date(Date.now() - 60_000).toISOString();
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  async function feed(query: string): Promise<FeedPage> {
    const response = await t
      .http()
      .get(`/api/desenvolvimento/os?${query}`)
      .set('Authorization', `Bearer ${user.token}`);
    expect(response.status).toBe(200);
    return response.body as FeedPage;
  }

  async function scrapeAll(): Promise<void> {
    const accepted = await t
      .http()
      .post('/api/desenvolvimento/scraping-batch')
      .set('Authorization', `Bearer ${user.token}`)
      .send({ os_numbers: OS_NUMBERS })
      .expect(202);
    const final = await waitForTask(
      t,
      user.token,
      `/api/desenvolvimento/scraping-batch-status/${accepted.body.task_id}`,
    );
    expect(final).toMatchObject({ status: 'completed', processed: OS_NUMBERS.length });
  }

  async function versions(): Promise<Record<string, number>> {
    const rows = await t.db.query<{ os_number: string; version: number }>(
      'SELECT os_number, version FROM scraped_orders ORDER BY os_number',
    );
    return Object.fromEntries(rows.map((row) => [row.os_number, row.version]));
  }

  it.each([
    ['no changed_since and no cursor', '', 'changed_since must be an ISO 8601 date-time'],
    [
      'a date that is not ISO',
      'changed_since=yesterday',
      'changed_since must be an ISO 8601 date-time',
    ],
    ['a forged cursor', 'cursor=bm90LWEtY3Vyc29y', 'cursor is not a next_cursor of this feed'],
    ['limit 0', 'changed_since=2026-01-01T00:00:00Z&limit=0', 'limit must not be less than 1'],
    [
      'limit 501',
      'changed_since=2026-01-01T00:00:00Z&limit=501',
      'limit must not be greater than 500',
    ],
    [
      'an unknown parameter',
      'changed_since=2026-01-01T00:00:00Z&since=1',
      'property since should not exist',
    ],
  ])('answers 400 naming the problem for %s', async (_case, query, message) => {
    const response = await t
      .http()
      .get(`/api/desenvolvimento/os?${query}`)
      .set('Authorization', `Bearer ${user.token}`);
    expect(response.status).toBe(400);
    expect(response.body.message).toBe(message);
  });

  it('lists OS by change, pages by cursor, bumps the version only when the ERP content changed', async () => {
    await scrapeAll();
    // Fresh changes are held back a few seconds; poll until all five are served.
    await expect
      .poll(async () => (await feed(`changed_since=${startedAt}`)).items.length, {
        timeout: 60_000,
        interval: 500,
      })
      .toBe(OS_NUMBERS.length);
    const all = await feed(`changed_since=${startedAt}`);
    expect(all.items.every((item) => item.version === 1)).toBe(true);
    expect(all.has_more).toBe(false);

    // Pages of two follow one another without gaps or repeats, in the same order.
    const paged: string[] = [];
    let page = await feed(`changed_since=${startedAt}&limit=2`);
    paged.push(...page.items.map((item) => item.os_number));
    while (page.has_more) {
      page = await feed(`cursor=${page.next_cursor}&limit=2`);
      paged.push(...page.items.map((item) => item.os_number));
    }
    expect(paged).toEqual(all.items.map((item) => item.os_number));
    const cursor = all.next_cursor!;
    expect(await feed(`cursor=${cursor}`)).toEqual({
      items: [],
      next_cursor: cursor,
      has_more: false,
    });

    // Read again unchanged: nothing moves.
    await scrapeAll();
    expect(await versions()).toEqual(Object.fromEntries(OS_NUMBERS.map((n) => [n, 1])));

    // Someone edits one OS in the ERP; the next read makes it version 2, alone in the feed.
    sim.edit(6003, { tecnico: 'Técnico Substituto da Silva' });
    await scrapeAll();
    expect(await versions()).toEqual({
      ...Object.fromEntries(OS_NUMBERS.map((n) => [n, 1])),
      '6003': 2,
    });
    await expect
      .poll(async () => (await feed(`cursor=${cursor}`)).items.length, {
        timeout: 60_000,
        interval: 500,
      })
      .toBe(1);
    const changed = await feed(`cursor=${cursor}`);
    expect(changed.items[0]).toMatchObject({ os_number: '6003', version: 2 });
    expect(JSON.stringify(changed.items[0]!.data)).toContain('Técnico Substituto da Silva');
    // From the start, each OS appears once, at its latest version, the changed one last.
    const again = await feed(`changed_since=${startedAt}`);
    expect(again.items.map((item) => item.os_number)).toHaveLength(OS_NUMBERS.length);
    expect(again.items.at(-1)).toMatchObject({ os_number: '6003', version: 2 });
  });
});
