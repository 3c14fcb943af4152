import { type Browser, type Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareEventIds } from '../../src/batch/batch-events.service.js';
import { launchChromium } from '../support/chromium.js';
import { startTestSimulator, targetEnv, type RunningSimulator } from '../support/simulator.js';
import { readSse } from '../support/sse.js';
import { waitForTask } from '../support/tasks.js';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app.js';

interface BrowserEvent {
  id: string;
  type: string;
  data: { os_number?: string; status?: string; processed?: number };
}

const numbers = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => String(from + i));

/**
 * Opens an `EventSource` in the page and collects its events until `final`, or until `stopAfterItems`
 * `item` events when given (then closes it, as a tab going to sleep would).
 */
function collect(page: Page, url: string, stopAfterItems?: number): Promise<BrowserEvent[]> {
  return page.evaluate(
    ({ url, stopAfterItems }) =>
      new Promise<BrowserEvent[]>((resolve, reject) => {
        const source = new EventSource(url);
        const events: BrowserEvent[] = [];
        let items = 0;
        const done = () => {
          source.close();
          resolve(events);
        };
        for (const type of ['progress', 'item', 'final']) {
          source.addEventListener(type, (event) => {
            const message = event as MessageEvent<string>;
            events.push({ id: message.lastEventId, type, data: JSON.parse(message.data) });
            if (type === 'item') items += 1;
            if (type === 'final' || (stopAfterItems !== undefined && items >= stopAfterItems))
              done();
          });
        }
        source.onerror = () => {
          source.close();
          reject(new Error(`EventSource failed after ${events.length} events`));
        };
      }),
    { url, stopAfterItems },
  );
}

describe('batch events in a browser: tickets and Last-Event-ID', () => {
  let sim: RunningSimulator;
  let t: TestApp;
  let owner: TestUser;
  let other: TestUser;
  let browser: Browser;
  let page: Page;
  const auth = (user: TestUser) => ({ Authorization: `Bearer ${user.token}` });

  beforeAll(async () => {
    sim = await startTestSimulator({ layout: 'a', latencyMs: 150 });
    t = await startTestApp({
      listen: true,
      env: {
        ...targetEnv(sim),
        RATE_LIMIT_BATCHES_PER_HOUR: '1000',
        TARGET_MAX_RPS: '0',
        BATCH_GROUP_SIZE: '2',
      },
    });
    owner = await t.createUser();
    other = await t.createUser();
    browser = await launchChromium();
    page = await browser.newPage();
    // Any page of the service: the stream is then same-origin, as for a frontend it serves.
    await page.goto(`${t.url}/api/health/live`);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await sim?.close();
  });

  async function submit(osNumbers: string[]): Promise<string> {
    const accepted = await t
      .http()
      .post('/api/desenvolvimento/scraping-batch')
      .set(auth(owner))
      .send({ os_numbers: osNumbers })
      .expect(202);
    return accepted.body.task_id as string;
  }

  async function ticket(user: TestUser, taskId: string): Promise<string> {
    const response = await t
      .http()
      .post(`/api/desenvolvimento/scraping-batch/${taskId}/events-ticket`)
      .set(auth(user))
      .expect(201);
    expect(response.body.expires_in).toBe(t.config.EVENTS_TICKET_TTL_SECONDS);
    return response.body.ticket as string;
  }

  const eventsPath = (taskId: string) => `/api/desenvolvimento/scraping-batch/${taskId}/events`;

  it('streams a batch to completion into a real EventSource opened with a ticket', async () => {
    const osNumbers = numbers(5000, 10);
    const taskId = await submit(osNumbers);
    const events = await collect(
      page,
      `${eventsPath(taskId)}?ticket=${await ticket(owner, taskId)}`,
    );

    expect(events[0]!.type).toBe('progress');
    expect(events.at(-1)).toMatchObject({
      type: 'final',
      data: { status: 'completed', processed: 10 },
    });
    const items = events.filter((event) => event.type === 'item').map((e) => e.data.os_number);
    expect(new Set(items).size).toBe(items.length);
    const progress = events.filter((e) => e.type === 'progress').map((e) => e.data.processed!);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    // Every event has an id, in increasing order (the first one may be a snapshot's `0-0`).
    const ids = events.map((event) => event.id);
    expect(ids.every((id) => /^\d+-\d+$/.test(id))).toBe(true);
    for (let i = 1; i < ids.length - 1; i += 1)
      expect(compareEventIds(ids[i - 1]!, ids[i]!)).toBeLessThan(0);
  });

  it('refuses a ticket used twice, for another batch, or none at all; tickets only for visible batches', async () => {
    const taskId = await submit(numbers(5100, 2));
    const otherTask = await submit(numbers(5200, 2));
    const once = await ticket(owner, taskId);
    const first = await fetch(`${t.url}${eventsPath(taskId)}?ticket=${once}`);
    expect(first.status).toBe(200);
    await first.body?.cancel();
    const again = await t.http().get(`${eventsPath(taskId)}?ticket=${once}`);
    expect(again.status).toBe(401);
    expect(again.body.message).toBe(
      'ticket is unknown, expired, already used or for another batch',
    );

    const forOther = await t
      .http()
      .get(`${eventsPath(otherTask)}?ticket=${await ticket(owner, taskId)}`);
    expect(forOther.status).toBe(401);

    const none = await t.http().get(eventsPath(taskId));
    expect(none.status).toBe(401);
    expect(none.body.message).toBe('missing bearer token');

    const notVisible = await t
      .http()
      .post(`/api/desenvolvimento/scraping-batch/${taskId}/events-ticket`)
      .set(auth(other));
    expect(notVisible.status).toBe(404);
    const badId = await t
      .http()
      .post('/api/desenvolvimento/scraping-batch/not-a-uuid/events-ticket')
      .set(auth(owner));
    expect(badId.status).toBe(400);
    expect(badId.body.message).toBe('task_id must be a UUID');
    const badResume = await t
      .http()
      .get(`${eventsPath(taskId)}?last_event_id=yesterday`)
      .set(auth(owner));
    expect(badResume.status).toBe(400);
    expect(badResume.body.message).toBe(
      'last_event_id must be an event id such as 1764600000000-0',
    );
    await waitForTask(t, owner.token, `/api/desenvolvimento/scraping-batch-status/${otherTask}`);

    // A ticket dies with its account.
    const leaving = await t.createUser();
    const leavingTask = (
      await t
        .http()
        .post('/api/desenvolvimento/scraping-batch')
        .set(auth(leaving))
        .send({ os_numbers: numbers(5250, 1) })
        .expect(202)
    ).body.task_id as string;
    const leavingTicket = await ticket(leaving, leavingTask);
    await t
      .http()
      .post(`/api/admin/users/${leaving.id}/deactivate`)
      .set('Authorization', `Bearer ${await t.adminToken()}`)
      .expect(200);
    const afterDeactivation = await t
      .http()
      .get(`${eventsPath(leavingTask)}?ticket=${leavingTicket}`);
    expect(afterDeactivation.status).toBe(401);
  });

  it('resumes after Last-Event-ID with exactly what was missed, in the browser and with the header', async () => {
    const osNumbers = numbers(5300, 12);
    const taskId = await submit(osNumbers);
    // `0-0`: everything from the start of the batch's event log, so no OS is lost to a snapshot.
    const before = await collect(
      page,
      `${eventsPath(taskId)}?ticket=${await ticket(owner, taskId)}&last_event_id=0-0`,
      2,
    );
    const lastId = before.at(-1)!.id;
    // A new EventSource cannot set Last-Event-ID, so it passes the id in the query.
    const after = await collect(
      page,
      `${eventsPath(taskId)}?ticket=${await ticket(owner, taskId)}&last_event_id=${lastId}`,
    );
    expect(after.at(-1)).toMatchObject({
      type: 'final',
      data: { status: 'completed', processed: 12 },
    });
    const itemsOf = (events: BrowserEvent[]) =>
      events.filter((event) => event.type === 'item').map((event) => event.data.os_number!);
    expect(itemsOf(before)).toHaveLength(2);
    expect([...itemsOf(before), ...itemsOf(after)].sort()).toEqual([...osNumbers].sort());
    // Replayed events keep their ids: all after the one the client resumed from.
    for (const event of after.slice(0, -1))
      expect(compareEventIds(event.id, lastId)).toBeGreaterThan(0);

    // With the header (any HTTP client), once the batch is over: the same events again, then final.
    const replay = await fetch(`${t.url}${eventsPath(taskId)}`, {
      headers: { ...auth(owner), 'Last-Event-ID': lastId, Accept: 'text/event-stream' },
    });
    expect(replay.status).toBe(200);
    const blocks = (await replay.text()).trim().split('\n\n');
    const replayedIds = blocks.map((block) => /^id: (\S+)$/m.exec(block)?.[1]);
    expect(replayedIds).toEqual(after.map((event) => event.id));
    expect(blocks.at(-1)).toMatch(/^event: final$/m);

    // An id the log never held: a fresh snapshot, here the final status.
    const unknown = await readSse(`${t.url}${eventsPath(taskId)}?last_event_id=1-0`, owner.token);
    expect(unknown.map((event) => event.event)).toEqual(['final']);
  });
});
