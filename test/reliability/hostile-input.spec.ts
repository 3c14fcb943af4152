import fc from 'fast-check';
import type { Response } from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OsNumberPolicy } from '../../src/scraping/os-number.policy.js';
import { startTestSimulator, targetEnv, type RunningSimulator } from '../support/simulator.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { Figures } from './support/figures.js';

/**
 * Property-based hostile input over every endpoint that takes input (bodies, path and query
 * parameters, headers): each answer is a 4xx in the error shape with a message that says what
 * is wrong, never a 5xx, and nothing is written (row counts of every table, and the queues).
 */

const RUNS = Number(process.env.RELIABILITY_FC_RUNS ?? 40);

/** Strings people type to break things, beside random ones. */
const NASTY = [
  "' OR '1'='1",
  '1; DROP TABLE users; --',
  "1' UNION SELECT password_hash FROM users --",
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '%2e%2e%2f%2e%2e%2fadmin',
  '../admin',
  'http://evil.example/',
  '//evil.example',
  'file:///etc/passwd',
  'javascript:alert(1)',
  '${jndi:ldap://evil.example/a}',
  '{{7*7}}',
  '__proto__',
  'constructor',
  '\u0000',
  '\u202eevil',
  '١٢٣٤٥',
  '１２３４５',
  '12345\u0000',
  '0x1F',
  '1e400',
  '-1',
  '9'.repeat(400),
  'a'.repeat(10_000),
  '😀'.repeat(100),
  '',
  ' ',
];

const nastyString = fc.oneof(
  fc.constantFrom(...NASTY),
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ maxLength: 300 }),
);

/** Any JSON value that is not a string. */
const notAString = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 0, -0),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
);

/** A query-string value for a numeric parameter that is not a valid number in its range. */
const badNumber = fc.oneof(
  fc.constantFrom(
    '1e400',
    '99999999999999999999999',
    '-1',
    '0',
    'NaN',
    'Infinity',
    '-Infinity',
    '1.5',
    '1,5',
    ' ',
    '',
    '1 OR 1=1',
    '[]',
    '{}',
    '2147483648',
    '1000001',
  ),
  nastyString.filter((s) => !/^\s*\d+\s*$/.test(s)),
);

/** Extra keys that must be refused, not merged. */
const forbiddenKey = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'isAdmin',
  'role',
  'user_id',
  '$where',
);

describe('hostile input: 4xx with a precise message, never 5xx, nothing written', () => {
  const figures = new Figures('hostile-input');
  const tried: Record<string, { requests: number; statuses: Record<string, number> }> = {};
  const serverErrors: string[] = [];
  let sim: RunningSimulator;
  let t: TestApp;
  let userToken: string;
  let adminToken: string;
  let isValidOs: (value: string) => boolean;
  let userId: string;
  let batchId: string;

  const TABLES = [
    'users',
    'scraping_tasks',
    'scraping_task_items',
    'scraping_usage_stats',
    'scraped_orders',
    'maintenance_runs',
    'scraping_alerts',
  ];
  const snapshot = async () => {
    const counts: Record<string, number> = {};
    for (const table of TABLES) {
      const [row] = await t.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
      counts[table] = Number(row!.n);
    }
    const [userRow] = await t.db.query<{ updated_at: Date; active: boolean }>(
      'SELECT updated_at, active FROM users WHERE id = $1',
      [userId],
    );
    counts.user_updated_at = userRow!.updated_at.getTime();
    return counts;
  };

  /** Records an answer and checks its shape; `field` must appear in the message when given. */
  const expectRefused = (endpoint: string, response: Response, field?: RegExp): void => {
    const entry = (tried[endpoint] ??= { requests: 0, statuses: {} });
    entry.requests += 1;
    entry.statuses[response.status] = (entry.statuses[response.status] ?? 0) + 1;
    if (response.status >= 500)
      serverErrors.push(`${endpoint} → ${response.status} ${response.text.slice(0, 200)}`);
    expect(response.status, `${endpoint}: ${response.text.slice(0, 300)}`).toBeGreaterThanOrEqual(
      400,
    );
    expect(response.status, `${endpoint}: ${response.text.slice(0, 300)}`).toBeLessThan(500);
    expect(response.body).toMatchObject({
      statusCode: response.status,
      error: expect.any(String),
      message: expect.any(String),
    });
    expect(response.body.message.length).toBeGreaterThan(0);
    // An answer never echoes markup back as-is (a JSON API, but still).
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    if (field && response.status === 400) expect(response.body.message).toMatch(field);
  };

  const asUser = (request: ReturnType<ReturnType<TestApp['http']>['get']>) =>
    request.set('Authorization', `Bearer ${userToken}`);
  const asAdmin = (request: ReturnType<ReturnType<TestApp['http']>['get']>) =>
    request.set('Authorization', `Bearer ${adminToken}`);
  const property = async <T>(arbitrary: fc.Arbitrary<T>, check: (value: T) => Promise<void>) => {
    const before = await snapshot();
    await fc.assert(fc.asyncProperty(arbitrary, check), { numRuns: RUNS });
    expect(await snapshot()).toEqual(before);
  };

  beforeAll(async () => {
    sim = await startTestSimulator({ layout: 'a' });
    t = await startTestApp({
      env: {
        ...targetEnv(sim),
        ROLE: 'api',
        // Hundreds of wrong logins from one address are the point here, not a spraying attack.
        LOGIN_MAX_FAILURES: '1000',
        LOGIN_MAX_FAILURES_PER_ADDRESS: '100000',
        LOGIN_MAX_FAILURES_PER_USERNAME: '100000',
      },
    });
    const user = await t.createUser();
    userToken = user.token;
    userId = user.id;
    adminToken = await t.adminToken();
    const policy = t.app.get(OsNumberPolicy);
    isValidOs = (value) => policy.isValid(value.trim());
    // One real batch, so that per-batch routes have something to be hostile about.
    const accepted = await asUser(t.http().post('/api/desenvolvimento/scraping-batch'))
      .send({ os_numbers: ['1'] })
      .expect(202);
    batchId = accepted.body.task_id as string;
  });
  afterAll(async () => {
    figures.set('summary', {
      endpoints: Object.keys(tried).length,
      requests: Object.values(tried).reduce((sum, entry) => sum + entry.requests, 0),
      server_errors: serverErrors.length,
      runs_per_property: RUNS,
    });
    figures.set('by_endpoint', tried);
    figures.set('server_errors', serverErrors);
    await t?.close();
    await sim?.close();
  });

  it('POST /scraping-batch: bad os_numbers (hostile strings, wrong types, too many) and batch_name', async () => {
    const endpoint = 'POST /api/desenvolvimento/scraping-batch';
    const badEntry = nastyString.filter((s) => !isValidOs(s));
    await property(
      fc.oneof(
        // at least one hostile entry among valid ones
        fc
          .tuple(fc.array(fc.integer({ min: 1, max: 9_999_999 }), { maxLength: 5 }), badEntry)
          .map(([valid, bad]) => ({ os_numbers: [...valid.map(String), bad] })),
        fc.record({ os_numbers: notAString }),
        fc.record({ os_numbers: fc.array(notAString, { minLength: 1, maxLength: 5 }) }),
        fc.constant({ os_numbers: [] }),
        fc.constant({}),
        fc.record({
          os_numbers: fc.constant(['1']),
          batch_name: notAString.filter((value) => value !== null),
        }),
        fc.record({
          os_numbers: fc.constant(['1']),
          batch_name: fc.constantFrom('', 'x'.repeat(201), 'Lote\u0000'),
        }),
      ),
      async (body) => {
        const response = await asUser(t.http().post('/api/desenvolvimento/scraping-batch')).send(
          body,
        );
        expectRefused(endpoint, response, /os_numbers|batch_name/);
      },
    );
    // Always tried, whatever the seed: PostgreSQL text cannot hold NUL.
    const nulName = await asUser(t.http().post('/api/desenvolvimento/scraping-batch')).send({
      os_numbers: ['1'],
      batch_name: 'Lote\u0000',
    });
    expectRefused(endpoint, nulName, /batch_name must not contain NUL/);
  });

  it('POST /scraping-batch: oversized arrays and bodies, forbidden keys, hostile Idempotency-Key', async () => {
    const endpoint = 'POST /api/desenvolvimento/scraping-batch (size, keys, header)';
    const before = await snapshot();
    const distinct = (n: number) => Array.from({ length: n }, (_, i) => String(1 + i));
    const tooManyDistinct = await asUser(t.http().post('/api/desenvolvimento/scraping-batch')).send(
      {
        os_numbers: distinct(101),
      },
    );
    expectRefused(endpoint, tooManyDistinct, /no more than 100 distinct/);
    const tooManyEntries = await asUser(t.http().post('/api/desenvolvimento/scraping-batch')).send({
      os_numbers: Array.from({ length: 100_000 }, () => '1'),
    });
    expectRefused(endpoint, tooManyEntries, /no more than 1000 entries/);
    const huge = await asUser(t.http().post('/api/desenvolvimento/scraping-batch'))
      .set('Content-Type', 'application/json')
      .send(`{"os_numbers":["${'1'.repeat(3_000_000)}"]}`);
    expectRefused(endpoint, huge);
    expect(huge.status).toBe(413);
    const deep = await asUser(t.http().post('/api/desenvolvimento/scraping-batch'))
      .set('Content-Type', 'application/json')
      .send(`{"os_numbers":${'['.repeat(5_000)}${']'.repeat(5_000)}}`);
    expectRefused(endpoint, deep, /nested too deeply/);
    const malformed = await asUser(t.http().post('/api/desenvolvimento/scraping-batch'))
      .set('Content-Type', 'application/json')
      .send('{"os_numbers": ["1"');
    expectRefused(endpoint, malformed, /JSON/i);
    expect(await snapshot()).toEqual(before);

    await property(forbiddenKey, async (key) => {
      // Raw JSON, so `__proto__` is a real own key as a client would send it.
      const response = await asUser(t.http().post('/api/desenvolvimento/scraping-batch'))
        .set('Content-Type', 'application/json')
        .send(`{"os_numbers":["1"],${JSON.stringify(key)}:{"admin":true,"polluted":1}}`);
      expectRefused(
        endpoint,
        response,
        new RegExp(`property ${key.replace('$', '\\$')} should not exist`),
      );
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
    await property(
      fc.oneof(
        fc.string({
          unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
          minLength: 129,
          maxLength: 300,
        }),
        fc.constantFrom(' ', 'a b', 'ação', '\u00ff', 'x'.repeat(129)),
      ),
      async (key) => {
        const response = await asUser(t.http().post('/api/desenvolvimento/scraping-batch'))
          .set('Idempotency-Key', Buffer.from(key, 'utf8').toString('latin1'))
          .send({ os_numbers: ['2'] });
        expectRefused(endpoint, response, /Idempotency-Key/);
      },
    );
  });

  it('POST /scraping and GET /os/{os_number}: hostile OS numbers never reach the target', async () => {
    const requestsBefore = sim.stats().requestsTotal;
    await property(
      fc.oneof(
        nastyString.filter((s) => !isValidOs(s)).map((os_number) => ({ os_number })),
        fc.record({ os_number: notAString }),
        fc.constant({}),
      ),
      async (body) => {
        const response = await asUser(t.http().post('/api/desenvolvimento/scraping')).send(body);
        expectRefused('POST /api/desenvolvimento/scraping', response, /os_number/);
      },
    );
    await property(
      nastyString.filter((s) => !isValidOs(s) && s.length > 0),
      async (value) => {
        const response = await asUser(
          t.http().get(`/api/desenvolvimento/os/${encodeURIComponent(value)}?refresh=true`),
        );
        expectRefused('GET /api/desenvolvimento/os/{os_number}', response, /os_number/);
      },
    );
    await property(
      badNumber.filter((s) => s !== 'true' && s !== 'false'),
      async (value) => {
        const response = await asUser(
          t.http().get(`/api/desenvolvimento/os/12345?refresh=${encodeURIComponent(value)}`),
        );
        expectRefused('GET /api/desenvolvimento/os/{os_number}?refresh', response, /refresh/);
      },
    );
    expect(sim.stats().requestsTotal).toBe(requestsBefore);
  });

  it('task ids in paths: traversal, SQL and unicode are refused as non-UUIDs on every per-task route', async () => {
    const routes = [
      ['get', '/api/desenvolvimento/scraping-status/{id}'],
      ['get', '/api/desenvolvimento/scraping-batch-status/{id}'],
      ['post', '/api/desenvolvimento/scraping-batch/{id}/cancel'],
      ['post', '/api/desenvolvimento/scraping-batch/{id}/retry-failed'],
      ['get', '/api/desenvolvimento/scraping-batch/{id}/results'],
      ['get', '/api/desenvolvimento/scraping-batch/{id}/events'],
    ] as const;
    for (const [method, route] of routes) {
      await property(
        nastyString.filter((s) => s.length > 0),
        async (value) => {
          const response = await asUser(
            t.http()[method](route.replace('{id}', encodeURIComponent(value))),
          );
          expectRefused(`${method.toUpperCase()} ${route}`, response, /task_id must be a UUID/);
        },
      );
    }
    // Unencoded traversal leaves the route: a 404 in the error shape, not someone else's page.
    for (const raw of [
      '../../admin/users',
      '..%2F..%2Fadmin%2Fusers',
      '%2e%2e/%2e%2e/admin/users',
    ]) {
      const response = await asUser(
        t.http().get(`/api/desenvolvimento/scraping-batch-status/${raw}`),
      );
      expectRefused('GET /api/desenvolvimento/scraping-batch-status/{raw traversal}', response);
    }
  });

  it('query parameters: huge, negative, fractional and non-numeric numbers, unknown enums and keys', async () => {
    const numeric: Array<[string, string, string]> = [
      ['user', '/api/desenvolvimento/scraping-batches', 'page'],
      ['user', '/api/desenvolvimento/scraping-batches', 'page_size'],
      ['admin', '/api/admin/users', 'page'],
      ['admin', '/api/admin/users', 'page_size'],
      ['admin', '/api/admin/scraping/dashboard', 'days'],
      ['admin', '/api/admin/scraping/users-ranking', 'days'],
      ['admin', '/api/admin/scraping/users-ranking', 'limit'],
      ['admin', '/api/admin/scraping/performance-metrics', 'days'],
      ['admin', '/api/admin/scraping/maintenance-runs', 'page_size'],
    ];
    for (const [who, path, param] of numeric) {
      await property(badNumber, async (value) => {
        const request = t.http().get(`${path}?${param}=${encodeURIComponent(value)}`);
        const response = await (who === 'admin' ? asAdmin(request) : asUser(request));
        expectRefused(`GET ${path}?${param}`, response, new RegExp(param));
      });
    }
    const enums: Array<[string, string, string]> = [
      ['user', '/api/desenvolvimento/scraping-batches', 'state'],
      ['user', `/api/desenvolvimento/scraping-batch/${'{batch}'}/results`, 'format'],
      ['admin', '/api/admin/scraping/performance-metrics', 'granularity'],
      ['admin', '/api/admin/scraping/maintenance-runs', 'task'],
    ];
    for (const [who, rawPath, param] of enums) {
      const path = rawPath.replace('{batch}', batchId);
      await property(nastyString, async (value) => {
        const request = t.http().get(`${path}?${param}=${encodeURIComponent(value)}`);
        const response = await (who === 'admin' ? asAdmin(request) : asUser(request));
        expectRefused(`GET ${rawPath}?${param}`, response, new RegExp(param));
      });
    }
    // Repeated parameters arrive as arrays; unknown ones are refused by name.
    await property(forbiddenKey, async (key) => {
      const response = await asUser(
        t
          .http()
          .get(
            `/api/desenvolvimento/scraping-batches?page=1&page=2&${encodeURIComponent(key)}[x]=1`,
          ),
      );
      expectRefused(
        'GET /api/desenvolvimento/scraping-batches (arrays, extra keys)',
        response,
        /page|should not exist/,
      );
    });
  });

  it('auth and users: login, create user, reset password, user ids, maintenance tasks', async () => {
    await property(
      fc.oneof(
        fc.record({ username: notAString, password: fc.string() }),
        fc.record({ username: fc.string(), password: notAString }),
        fc.record({ username: fc.constant('admin'), password: fc.constant('x'.repeat(129)) }),
        fc.record({ username: fc.constant('a'.repeat(65)), password: fc.constant('x') }),
        fc.record({ username: fc.constant('admin'), password: fc.constant('') }),
        forbiddenKey.map(
          (key) =>
            JSON.parse(
              `{"username":"admin","password":"x",${JSON.stringify(key)}:{"role":"admin"}}`,
            ) as object,
        ),
      ),
      async (body) => {
        const response = await t.http().post('/api/auth/login').send(body);
        expectRefused('POST /api/auth/login', response, /username|password|should not exist/);
        expect(response.status).toBe(400);
      },
    );
    // Strings of the right type: refused as wrong credentials (401), never 5xx; a NUL character
    // in the username (which PostgreSQL text cannot hold) is refused as input (400 naming it).
    // The password is only hashed, never stored as text, so it may hold any character.
    await property(
      fc.record({
        username: nastyString.filter((s) => s.length > 0 && s.length <= 64),
        password: fc.string({ minLength: 1, maxLength: 128 }),
      }),
      async (body) => {
        const response = await t.http().post('/api/auth/login').send(body);
        expectRefused('POST /api/auth/login (wrong credentials)', response);
        if (body.username.includes('\u0000')) {
          expect(response.status).toBe(400);
          expect(response.body.message).toBe('username must not contain NUL characters');
        } else expect(response.status).toBe(401);
      },
    );
    // Always tried, whatever the seed: PostgreSQL text cannot hold it (this was a 500).
    const nulLogin = await t
      .http()
      .post('/api/auth/login')
      .send({ username: 'admin\u0000', password: 'x' });
    expectRefused('POST /api/auth/login (NUL)', nulLogin, /username must not contain NUL/);
    expect(nulLogin.status).toBe(400);
    await property(
      fc
        .oneof(
          fc.record({ username: nastyString, password: fc.constant('a long passphrase') }),
          fc.record({
            username: fc.constant('new.user'),
            password: fc.oneof(
              notAString,
              fc.string({ maxLength: 7 }),
              fc.constant('x'.repeat(129)),
            ),
          }),
          fc.record({
            username: fc.constant('new.user'),
            password: fc.constant('a long passphrase'),
            role: nastyString.filter((s) => s !== 'user' && s !== 'admin'),
          }),
          forbiddenKey.map(
            (key) =>
              JSON.parse(
                `{"username":"new.user","password":"a long passphrase",${JSON.stringify(key)}:{"active":false}}`,
              ) as object,
          ),
        )
        .filter(
          (body) =>
            !('username' in body) ||
            typeof body.username !== 'string' ||
            !/^[a-z0-9_.@-]{3,64}$/.test(body.username.trim().toLowerCase()) ||
            'role' in body ||
            !('password' in body) ||
            typeof body.password !== 'string' ||
            body.password.length < 8 ||
            body.password.length > 128 ||
            Object.keys(body).length > 2,
        ),
      async (body) => {
        const response = await asAdmin(t.http().post('/api/admin/users')).send(body);
        expectRefused('POST /api/admin/users', response, /username|password|role|should not exist/);
      },
    );
    await property(
      fc.oneof(notAString, fc.string({ maxLength: 7 }), fc.constant('x'.repeat(129))),
      async (password) => {
        const response = await asAdmin(
          t.http().post(`/api/admin/users/${userId}/reset-password`),
        ).send({ password });
        expectRefused('POST /api/admin/users/{id}/reset-password', response, /password/);
      },
    );
    for (const suffix of ['', '/deactivate', '/activate', '/reset-password']) {
      const method = suffix === '' ? 'get' : 'post';
      await property(
        nastyString.filter((s) => s.length > 0),
        async (value) => {
          const response = await asAdmin(
            t.http()[method](`/api/admin/users/${encodeURIComponent(value)}${suffix}`),
          ).send({ password: 'a long passphrase' });
          expectRefused(
            `${method.toUpperCase()} /api/admin/users/{id}${suffix}`,
            response,
            /id must be a UUID/,
          );
        },
      );
    }
    await property(
      nastyString.filter((s) => s.length > 0),
      async (value) => {
        const response = await asAdmin(
          t.http().post(`/api/admin/scraping/maintenance/${encodeURIComponent(value)}`),
        );
        expectRefused(
          'POST /api/admin/scraping/maintenance/{task}',
          response,
          /task must be one of/,
        );
      },
    );
  });

  it('no answer was a 5xx', () => {
    expect(serverErrors).toEqual([]);
    expect(Object.keys(tried).length).toBeGreaterThanOrEqual(25);
  });
});
