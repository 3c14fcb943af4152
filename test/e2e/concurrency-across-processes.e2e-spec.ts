import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Figures } from '../reliability/support/figures.js';
import { ServiceProcess } from '../support/service-process.js';
import { ADMIN, testEnv } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { deleteRedisKeys, uniqueRedisPrefix } from '../support/test-redis.js';

const REPETITIONS = 20;
const TIMEOUT_MS = 600_000;
const LIMITS = { pair: 5, batches: 10, singleOs: 50 };

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/**
 * The built service as deployed with more than one API process: two `api` processes on one
 * PostgreSQL and one Redis, each burst split between them. The limits hold across processes
 * because the reservation lives in Redis and the backlog lock in PostgreSQL, not in a process.
 */
describe('concurrency attacks across two API processes (built service)', () => {
  const figures = new Figures('concurrency-across-processes');
  const prefix = uniqueRedisPrefix('conc');
  let db: TestDatabase;
  let apis: ServiceProcess[] = [];

  const call = async (
    index: number,
    method: string,
    path: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Answer> => {
    const response = await fetch(`${apis[index % apis.length]!.url}${path}`, {
      method,
      headers: {
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Answer['body']) : {} };
  };
  const login = async (username: string, password: string, index = 0) => {
    const answer = await call(index, 'POST', '/api/auth/login', { body: { username, password } });
    expect(answer.status).toBe(200);
    return answer.body.access_token as string;
  };
  const newUser = async () => {
    const username = `u_${randomBytes(4).toString('hex')}`;
    const password = `pw-${randomBytes(8).toString('hex')}`;
    const created = await call(0, 'POST', '/api/admin/users', {
      token: await login(ADMIN.username, ADMIN.password),
      body: { username, password, role: 'user' },
    });
    expect(created.status).toBe(201);
    return { id: created.body.id as string, username, password };
  };
  const counts = (answers: Answer[]) => {
    const tally: Record<number, number> = {};
    for (const { status } of answers) tally[status] = (tally[status] ?? 0) + 1;
    return tally;
  };

  beforeAll(async () => {
    db = await createTestDatabase('conc');
    const env = {
      ...testEnv(db, prefix),
      TRUST_PROXY: 'loopback',
      LOGIN_MAX_FAILURES: String(LIMITS.pair),
      BATCH_BACKLOG_CAP: String(LIMITS.batches),
      SCRAPE_BACKLOG_CAP: String(LIMITS.singleOs),
    };
    // One after the other: the first migrates and creates the admin.
    for (let i = 0; i < 2; i += 1) {
      const api = await ServiceProcess.start(['api'], env);
      apis.push(api);
      await api.waitUntilUp();
    }
  }, 180_000);
  afterAll(async () => {
    await Promise.all(apis.map((api) => api.stop()));
    apis = [];
    await db?.drop();
    await deleteRedisKeys(prefix);
  });

  it(
    `40 logins for one user from one address, split over both processes, admit exactly ${LIMITS.pair}, ${REPETITIONS} times`,
    async () => {
      const admitted: number[] = [];
      for (let rep = 0; rep < REPETITIONS; rep += 1) {
        const username = `victim_${rep}_${randomBytes(3).toString('hex')}`;
        const address = `203.0.113.${rep + 1}`;
        const answers = await Promise.all(
          Array.from({ length: 40 }, (_, i) =>
            call(i, 'POST', '/api/auth/login', {
              body: { username, password: `guess-${i}` },
              headers: { 'x-forwarded-for': address },
            }),
          ),
        );
        expect(counts(answers)).toEqual({ 401: LIMITS.pair, 429: 40 - LIMITS.pair });
        admitted.push(counts(answers)[401]!);
      }
      figures.set('login_two_processes', {
        burst: 40,
        limit: LIMITS.pair,
        repetitions: REPETITIONS,
        admitted_min: Math.min(...admitted),
        admitted_max: Math.max(...admitted),
      });
    },
    TIMEOUT_MS,
  );

  it(
    `40 batches and 100 single-OS requests of one user, split over both processes, admit exactly ${LIMITS.batches} and ${LIMITS.singleOs}, ${REPETITIONS} times`,
    async () => {
      const user = await newUser();
      const token = await login(user.username, user.password);
      const numbers = Array.from({ length: 100 }, (_, i) => String(30_000 + i));
      const batchesAdmitted: number[] = [];
      const singleAdmitted: number[] = [];
      for (let rep = 0; rep < REPETITIONS; rep += 1) {
        const [batches, singles] = await Promise.all([
          Promise.all(
            Array.from({ length: 40 }, (_, i) =>
              call(i, 'POST', '/api/desenvolvimento/scraping-batch', {
                token,
                body: { os_numbers: numbers },
              }),
            ),
          ),
          Promise.all(
            Array.from({ length: 100 }, (_, i) =>
              call(i, 'POST', '/api/desenvolvimento/scraping', {
                token,
                body: { os_number: String(40_000 + i) },
              }),
            ),
          ),
        ]);
        expect(counts(batches)).toEqual({ 202: LIMITS.batches, 429: 40 - LIMITS.batches });
        expect(counts(singles)).toEqual({ 202: LIMITS.singleOs, 429: 100 - LIMITS.singleOs });
        batchesAdmitted.push(counts(batches)[202]!);
        singleAdmitted.push(counts(singles)[202]!);
        // The next repetition starts from an empty backlog.
        await db.query(
          `UPDATE scraping_tasks SET state = 'cancelled', finished_at = now()
            WHERE user_id = $1 AND state IN ('queued', 'throttled', 'running')`,
          [user.id],
        );
      }
      figures.set('backlogs_two_processes', {
        batch_burst: 40,
        batch_cap: LIMITS.batches,
        single_os_burst: 100,
        single_os_cap: LIMITS.singleOs,
        repetitions: REPETITIONS,
        batches_admitted: [Math.min(...batchesAdmitted), Math.max(...batchesAdmitted)],
        single_os_admitted: [Math.min(...singleAdmitted), Math.max(...singleAdmitted)],
      });
    },
    TIMEOUT_MS,
  );

  it('a token revoked or a session closed in one process is refused by the other', async () => {
    const user = await newUser();
    const token = await login(user.username, user.password, 0);
    expect((await call(0, 'POST', '/api/auth/logout', { token })).status).toBe(204);
    const replay = await call(1, 'GET', '/api/desenvolvimento/scraping-statistics', { token });
    expect(replay.status).toBe(401);
    expect(replay.body.message).toBe('token has been revoked');

    const adminToken = await login(ADMIN.username, ADMIN.password, 1);
    const opened = await fetch(`${apis[1]!.url}/admin/session`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(opened.status).toBe(204);
    const cookie = opened.headers.get('set-cookie')!.split(';')[0]!;
    const board = (index: number) =>
      fetch(`${apis[index]!.url}/admin/queues/api/queues`, { headers: { cookie } });
    expect((await board(0)).status).toBe(200);
    const closed = await fetch(`${apis[0]!.url}/admin/session`, {
      method: 'DELETE',
      headers: { cookie, 'x-requested-with': 'fetch' },
    });
    expect(closed.status).toBe(204);
    expect((await board(1)).status).toBe(401);
  });
});
