import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Figures } from '../reliability/support/figures.js';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app.js';

/** Each burst is sent this many times; every repetition must admit exactly the limit. */
const REPETITIONS = 20;
/** Each admitted login costs an Argon2 hash: on a busy machine twenty bursts take minutes. */
const BURSTS_TIMEOUT_MS = 600_000;

const LIMITS = {
  pair: 5, // LOGIN_MAX_FAILURES: one username from one address
  address: 10, // LOGIN_MAX_FAILURES_PER_ADDRESS
  username: 8, // LOGIN_MAX_FAILURES_PER_USERNAME
  batches: 10, // BATCH_BACKLOG_CAP
  singleOs: 50, // SCRAPE_BACKLOG_CAP
};

/** Status code → how many answers had it. */
function tally(statuses: number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

/**
 * Requests sent at the same moment against one real service (PostgreSQL, Redis): each burst
 * must admit exactly what its limit allows, every time, and refuse the rest with 429.
 */
describe('concurrency attacks: bursts admit exactly the limit', () => {
  const figures = new Figures('concurrency-attacks');
  let t: TestApp;
  let addressSeed = 0;
  /** A client address of its own (the test talks through a trusted loopback proxy). */
  const nextAddress = () => {
    addressSeed += 1;
    return `198.51.${Math.floor(addressSeed / 250)}.${(addressSeed % 250) + 1}`;
  };
  const login = (username: string, password: string, address: string) =>
    t
      .http()
      .post('/api/auth/login')
      .set('X-Forwarded-For', address)
      .send({ username, password })
      .then((response) => response);

  beforeAll(async () => {
    t = await startTestApp({
      env: {
        // No worker: accepted work stays in the backlog while the bursts run.
        ROLE: 'api',
        TRUST_PROXY: 'loopback',
        LOGIN_MAX_FAILURES: String(LIMITS.pair),
        LOGIN_MAX_FAILURES_PER_ADDRESS: String(LIMITS.address),
        LOGIN_MAX_FAILURES_PER_USERNAME: String(LIMITS.username),
        BATCH_BACKLOG_CAP: String(LIMITS.batches),
        SCRAPE_BACKLOG_CAP: String(LIMITS.singleOs),
      },
    });
  });
  afterAll(() => t?.close());

  it(
    `25 logins for one user from one address (24 wrong, 1 right) admit exactly ${LIMITS.pair}, ${REPETITIONS} times`,
    async () => {
      const admitted: number[] = [];
      for (let rep = 0; rep < REPETITIONS; rep += 1) {
        const victim = await t.createUser();
        const address = nextAddress();
        const passwords = Array.from({ length: 25 }, (_, i) =>
          i === 12 ? victim.password : `wrong-${i}`,
        );
        const statuses = (
          await Promise.all(passwords.map((password) => login(victim.username, password, address)))
        ).map((response) => response.status);
        const counts = tally(statuses);
        expect(Object.keys(counts).every((code) => ['200', '401', '429'].includes(code))).toBe(
          true,
        );
        expect(counts[429]).toBe(25 - LIMITS.pair);
        expect((counts[200] ?? 0) + (counts[401] ?? 0)).toBe(LIMITS.pair);
        expect(counts[200] ?? 0).toBeLessThanOrEqual(1);
        admitted.push(25 - counts[429]!);
      }
      figures.set('login_one_user_one_address', {
        burst: 25,
        limit: LIMITS.pair,
        repetitions: REPETITIONS,
        admitted_min: Math.min(...admitted),
        admitted_max: Math.max(...admitted),
      });
    },
    BURSTS_TIMEOUT_MS,
  );

  it(
    `40 logins from one address across 40 usernames admit exactly ${LIMITS.address}, ${REPETITIONS} times`,
    async () => {
      const admitted: number[] = [];
      for (let rep = 0; rep < REPETITIONS; rep += 1) {
        const address = nextAddress();
        const responses = await Promise.all(
          Array.from({ length: 40 }, (_, i) =>
            login(`spray_${rep}_${i}_${randomBytes(3).toString('hex')}`, 'Password1', address),
          ),
        );
        const counts = tally(responses.map((response) => response.status));
        expect(counts).toEqual({ 401: LIMITS.address, 429: 40 - LIMITS.address });
        const refused = responses.find((response) => response.status === 429)!;
        expect(refused.body.message).toMatch(/^too many failed logins; try again in \d+ s$/);
        expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
        admitted.push(counts[401]!);
      }
      // Another address is not affected by the sprayed one.
      await login('spray_other', 'x', nextAddress()).then((r) => expect(r.status).toBe(401));
      figures.set('login_one_address_many_usernames', {
        burst: 40,
        limit: LIMITS.address,
        repetitions: REPETITIONS,
        admitted_min: Math.min(...admitted),
        admitted_max: Math.max(...admitted),
      });
    },
    BURSTS_TIMEOUT_MS,
  );

  it(
    `30 logins for one username from 30 addresses admit exactly ${LIMITS.username}, ${REPETITIONS} times`,
    async () => {
      const admitted: number[] = [];
      for (let rep = 0; rep < REPETITIONS; rep += 1) {
        const username = `target_${rep}_${randomBytes(3).toString('hex')}`;
        const responses = await Promise.all(
          Array.from({ length: 30 }, () => login(username, 'guess', nextAddress())),
        );
        const counts = tally(responses.map((response) => response.status));
        expect(counts).toEqual({ 401: LIMITS.username, 429: 30 - LIMITS.username });
        admitted.push(counts[401]!);
      }
      figures.set('login_one_username_many_addresses', {
        burst: 30,
        limit: LIMITS.username,
        repetitions: REPETITIONS,
        admitted_min: Math.min(...admitted),
        admitted_max: Math.max(...admitted),
      });
    },
    BURSTS_TIMEOUT_MS,
  );

  /** Ends every open task of a user, so the next repetition starts from an empty backlog. */
  const emptyBacklog = async (user: TestUser) => {
    await t.db.query(
      `UPDATE scraping_tasks SET state = 'cancelled', finished_at = now()
        WHERE user_id = $1 AND state IN ('queued', 'throttled', 'running')`,
      [user.id],
    );
  };

  it(
    `40 parallel 100-OS batches by one user admit exactly ${LIMITS.batches}, ${REPETITIONS} times`,
    async () => {
      const user = await t.createUser();
      const numbers = Array.from({ length: 100 }, (_, i) => String(10_000 + i));
      const admitted: number[] = [];
      for (let rep = 0; rep < REPETITIONS; rep += 1) {
        const responses = await Promise.all(
          Array.from({ length: 40 }, (_, i) =>
            t
              .http()
              .post('/api/desenvolvimento/scraping-batch')
              .set('Authorization', `Bearer ${user.token}`)
              .send({ os_numbers: numbers, batch_name: `burst ${rep}.${i}` }),
          ),
        );
        const counts = tally(responses.map((response) => response.status));
        expect(counts).toEqual({ 202: LIMITS.batches, 429: 40 - LIMITS.batches });
        const refused = responses.find((response) => response.status === 429)!;
        expect(refused.body.message).toMatch(
          new RegExp(
            `^you already have ${LIMITS.batches} batches waiting \\(limit ${LIMITS.batches}\\)`,
          ),
        );
        const [{ open }] = await t.db.query<{ open: number }>(
          `SELECT count(*)::int AS open FROM scraping_batch_stats
          WHERE user_id = $1 AND state IN ('queued', 'throttled', 'running')`,
          [user.id],
        );
        expect(open).toBe(LIMITS.batches);
        admitted.push(counts[202]!);
        await emptyBacklog(user);
      }
      figures.set('batch_backlog', {
        burst: 40,
        batch_size: 100,
        cap: LIMITS.batches,
        repetitions: REPETITIONS,
        admitted_min: Math.min(...admitted),
        admitted_max: Math.max(...admitted),
      });
    },
    BURSTS_TIMEOUT_MS,
  );

  it('one Idempotency-Key sent 20 times at once with one place left in the backlog: one batch, 20 × 202', async () => {
    const user = await t.createUser();
    const submit = (key?: string) => {
      const request = t
        .http()
        .post('/api/desenvolvimento/scraping-batch')
        .set('Authorization', `Bearer ${user.token}`);
      if (key) request.set('Idempotency-Key', key);
      return request.send({ os_numbers: ['7001', '7002'] });
    };
    for (let i = 0; i < LIMITS.batches - 1; i += 1) expect((await submit()).status).toBe(202);
    const responses = await Promise.all(Array.from({ length: 20 }, () => submit('same-key-1')));
    expect(tally(responses.map((response) => response.status))).toEqual({ 202: 20 });
    expect(new Set(responses.map((response) => response.body.task_id as string)).size).toBe(1);
    expect((await submit('another-key')).status).toBe(429);
  });

  it(
    `100 parallel single-OS requests by one user admit exactly ${LIMITS.singleOs}, ${REPETITIONS} times`,
    async () => {
      const user = await t.createUser();
      const admitted: number[] = [];
      for (let rep = 0; rep < REPETITIONS; rep += 1) {
        const responses = await Promise.all(
          Array.from({ length: 100 }, (_, i) =>
            t
              .http()
              .post('/api/desenvolvimento/scraping')
              .set('Authorization', `Bearer ${user.token}`)
              .send({ os_number: String(20_000 + i) }),
          ),
        );
        const counts = tally(responses.map((response) => response.status));
        expect(counts).toEqual({ 202: LIMITS.singleOs, 429: 100 - LIMITS.singleOs });
        const [{ open }] = await t.db.query<{ open: number }>(
          `SELECT count(*)::int AS open FROM scrape_requests
          WHERE user_id = $1 AND state IN ('queued', 'throttled', 'running')`,
          [user.id],
        );
        expect(open).toBe(LIMITS.singleOs);
        admitted.push(counts[202]!);
        await emptyBacklog(user);
      }
      figures.set('single_os_backlog', {
        burst: 100,
        cap: LIMITS.singleOs,
        repetitions: REPETITIONS,
        admitted_min: Math.min(...admitted),
        admitted_max: Math.max(...admitted),
      });
    },
    BURSTS_TIMEOUT_MS,
  );
});
