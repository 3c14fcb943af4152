import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { profileVariant } from '../support/profile-variant.js';
import { ServiceProcess } from '../support/service-process.js';
import { startTestSimulator, type RunningSimulator } from '../support/simulator.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { deleteRedisKeys, REDIS_URL, uniqueRedisPrefix } from '../support/test-redis.js';
import { Figures } from './support/figures.js';
import { RecordingProxy } from './support/recording-proxy.js';

const secret = (label: string) => `${label}-${randomBytes(12).toString('hex')}`;

/** The URLs a scraper of this profile may visit: the profile's own, with digits where it fills in. */
const ALLOWED_URLS = [
  /^\/login$/,
  /^\/home$/,
  /^\/os\/detalhe\?numero=\d{1,7}$/,
  /^\/os\/itens(-inexistente)?\.json\?id=\d+$/,
  // What the target's own pages load in a browser (the robust path blocks nothing).
  /^\/static\/(css|fonts|img)\/[\w.-]+$/,
  /^\/third-party\/analytics\.js$/,
  /^\/favicon\.ico$/,
];

/**
 * A whole run of the built service (`node dist/main.js all` plus a browser worker, debug logs):
 * logins good and bad, single OS, batches, target errors, expired sessions, an outage, a target
 * login that fails. Then every log line and every answer is searched for each secret's value,
 * and every URL the scraper requested is checked against the profile's.
 */
describe('no secret in any log line or answer; users never steer the scraper’s URLs', () => {
  const figures = new Figures('secrets-and-urls');
  const secrets = {
    target_password: secret('tgt-pw'),
    wrong_target_password: secret('tgt-wrong'),
    jwt_secret: secret('jwt-secret-of-at-least-32-chars'),
    admin_password: secret('admin-pw'),
    user_password: secret('user-pw'),
    wrong_user_password: secret('user-wrong'),
  };
  const processes: ServiceProcess[] = [];
  const answers: string[] = [];
  const tokens: string[] = [];
  let sim: RunningSimulator;
  let proxy: RecordingProxy;
  const databases: TestDatabase[] = [];
  const prefixes: string[] = [];

  const start = async (args: string[], extra: Record<string, string>) => {
    const db = databases[0]!;
    const service = await ServiceProcess.start(args, {
      NODE_ENV: 'production',
      DATABASE_URL: db.url,
      DATABASE_AUTO_CREATE: 'false',
      REDIS_URL,
      REDIS_PREFIX: prefixes[0]!,
      JWT_SECRET: secrets.jwt_secret,
      ADMIN_USERNAME: 'admin',
      ADMIN_PASSWORD: secrets.admin_password,
      LOG_LEVEL: 'debug',
      SHUTDOWN_GRACE_MS: '5000',
      TARGET_PROFILE: 'profiles/erp-simulator.json',
      TARGET_BASE_URL: proxy.url,
      TARGET_USERNAME: 'erp-robot',
      TARGET_PASSWORD: secrets.target_password,
      TARGET_MAX_RPS: '0',
      RATE_LIMIT_OS_PER_HOUR: '1000',
      RATE_LIMIT_BATCHES_PER_HOUR: '1000',
      SCRAPER_RETRY_BASE_MS: '50',
      SCRAPER_HTTP_TIMEOUT_MS: '2000',
      CIRCUIT_COOLDOWN_MS: '300',
      TARGET_OUTAGE_MAX_WAIT_MS: '3000',
      METRICS_TOKEN: '',
      ...extra,
    });
    processes.push(service);
    await service.waitUntilUp();
    return service;
  };

  beforeAll(async () => {
    sim = await startTestSimulator({
      layout: 'a',
      latencyMs: 20,
      user: 'erp-robot',
      password: secrets.target_password,
    });
    proxy = await new RecordingProxy(sim.url).start();
    databases.push(await createTestDatabase('secrets'));
    prefixes.push(uniqueRedisPrefix('secrets'));
  });
  afterAll(async () => {
    for (const service of processes) await service.stop('SIGKILL');
    await proxy?.close();
    await sim?.close();
    for (const db of databases) await db.drop();
    for (const prefix of prefixes) await deleteRedisKeys(prefix);
  });

  it('runs the service through logins, scrapes, batches, faults and failures with debug logs', async () => {
    const phases: Record<string, number> = {};
    let phaseStart = Date.now();
    const phase = (name: string) => {
      phases[name] = Date.now() - phaseStart;
      phaseStart = Date.now();
    };
    const all = await start(['all'], {});
    const browserWorker = await start(['worker'], {
      TARGET_PROFILE: profileVariant('profiles/erp-simulator.json', (profile) => {
        profile.side_requests[0].url_template = '/os/itens-inexistente.json?id={detail_id}';
      }),
    });
    const api = async (method: string, path: string, token?: string, body?: unknown) => {
      const response = await fetch(`${all.url}${path}`, {
        method,
        headers: {
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      answers.push(
        `${method} ${path} ${response.status} ${JSON.stringify([...response.headers])} ${text}`,
      );
      const json = response.headers.get('content-type')?.startsWith('application/json');
      return {
        status: response.status,
        body: json && text ? (JSON.parse(text) as Record<string, unknown>) : {},
      };
    };
    const waitFor = async (path: string, token: string) => {
      for (let i = 0; i < 600; i += 1) {
        const status = await api('GET', path, token);
        if (status.body.status !== 'processing') return status;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      throw new Error(`${path} never finished`);
    };

    expect(
      (
        await api('POST', '/api/auth/login', undefined, {
          username: 'admin',
          password: secrets.wrong_user_password,
        })
      ).status,
    ).toBe(401);
    const admin = await api('POST', '/api/auth/login', undefined, {
      username: 'admin',
      password: secrets.admin_password,
    });
    const adminToken = admin.body.access_token as string;
    tokens.push(adminToken);
    expect(
      (
        await api('POST', '/api/admin/users', adminToken, {
          username: 'maria',
          password: secrets.user_password,
        })
      ).status,
    ).toBe(201);
    const login = await api('POST', '/api/auth/login', undefined, {
      username: 'maria',
      password: secrets.user_password,
    });
    const token = login.body.access_token as string;
    tokens.push(token);

    // Hostile OS numbers are refused by the profile's pattern before anything is queued.
    const hostile = [
      '../admin',
      'http://evil.example/x',
      '%2e%2e%2fadmin',
      '1/../../logout',
      '1?numero=2',
      '1#x',
      '1\r\nX-Evil: 1',
      '12345678',
      ' 1 2 ',
    ];
    const refused: Record<string, number> = {};
    for (const osNumber of hostile) {
      refused[osNumber] = (
        await api('POST', '/api/desenvolvimento/scraping', token, { os_number: osNumber })
      ).status;
      const inBatch = await api('POST', '/api/desenvolvimento/scraping-batch', token, {
        os_numbers: ['1', osNumber],
      });
      expect(inBatch.status).toBe(400);
      const stored = await api(
        'GET',
        `/api/desenvolvimento/os/${encodeURIComponent(osNumber)}?refresh=true`,
        token,
      );
      expect(stored.status).toBe(400);
    }
    expect(Object.values(refused).every((status) => status === 400)).toBe(true);
    phase('boot_and_hostile_ms');

    // Single OS and batches, clean.
    for (const osNumber of ['4101', '4102', '4103']) {
      const accepted = await api('POST', '/api/desenvolvimento/scraping', token, {
        os_number: osNumber,
      });
      await waitFor(
        `/api/desenvolvimento/scraping-status/${accepted.body.task_id as string}`,
        token,
      );
    }
    const numbers = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => String(from + i));
    const clean = await api('POST', '/api/desenvolvimento/scraping-batch', token, {
      os_numbers: numbers(4200, 30),
    });
    await waitFor(
      `/api/desenvolvimento/scraping-batch-status/${clean.body.task_id as string}`,
      token,
    );

    // Target errors and expired sessions (re-logins), then an outage long enough to fail OS.
    sim.update({ errorRate: 0.2, expireRate: 0.15 });
    const flaky = await api('POST', '/api/desenvolvimento/scraping-batch', token, {
      os_numbers: numbers(4300, 30),
    });
    await waitFor(
      `/api/desenvolvimento/scraping-batch-status/${flaky.body.task_id as string}`,
      token,
    );
    sim.update({ errorRate: 0, expireRate: 0 });
    phase('flaky_ms');
    await sim.pause();
    const down = await api('POST', '/api/desenvolvimento/scraping-batch', token, {
      os_numbers: numbers(4400, 5),
    });
    const downStatus = await waitFor(
      `/api/desenvolvimento/scraping-batch-status/${down.body.task_id as string}`,
      token,
    );
    await sim.resume();
    phase('outage_ms');

    // Everything a user or an admin reads afterwards.
    for (const path of [
      `/api/desenvolvimento/scraping-batch/${flaky.body.task_id as string}/results`,
      `/api/desenvolvimento/scraping-batch/${down.body.task_id as string}/results?format=csv`,
      '/api/desenvolvimento/scraping-statistics',
      '/api/desenvolvimento/scraping-queue-status',
      '/api/desenvolvimento/scraping-batches',
      '/api/desenvolvimento/os/4101',
    ])
      await api('GET', path, token);
    for (const path of [
      '/api/admin/scraping/dashboard?days=1',
      '/api/admin/scraping/users-ranking',
      '/api/admin/scraping/performance-metrics',
      '/api/admin/scraping/maintenance-runs',
      '/api/admin/users',
      '/api/health',
    ])
      await api('GET', path, adminToken);
    await browserWorker.stop('SIGTERM');
    await all.stop('SIGTERM');

    // A deployment whose target password is wrong: its login failures are logged too. Its own
    // Redis prefix, so that it cannot reuse the target sessions the other deployment left.
    prefixes.push(uniqueRedisPrefix('secrets-wrong'));
    const wrong = await start(['all'], {
      REDIS_PREFIX: prefixes.at(-1)!,
      TARGET_PASSWORD: secrets.wrong_target_password,
      SCRAPER_MAX_ATTEMPTS: '2',
    });
    const wrongAdmin = await fetch(`${wrong.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: secrets.admin_password }),
    });
    const wrongToken = ((await wrongAdmin.json()) as { access_token: string }).access_token;
    tokens.push(wrongToken);
    const failing = await fetch(`${wrong.url}/api/desenvolvimento/scraping`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${wrongToken}` },
      body: JSON.stringify({ os_number: '4500' }),
    });
    const failingTask = ((await failing.json()) as { task_id: string }).task_id;
    let failedStatus = '';
    for (let i = 0; i < 240 && failedStatus !== 'failed'; i += 1) {
      const response = await fetch(
        `${wrong.url}/api/desenvolvimento/scraping-status/${failingTask}`,
        {
          headers: { Authorization: `Bearer ${wrongToken}` },
        },
      );
      const text = await response.text();
      answers.push(text);
      failedStatus = (JSON.parse(text) as { status: string }).status;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await wrong.stop('SIGTERM');
    phase('wrong_target_password_ms');

    const lines = processes.flatMap((service) => service.output);
    figures.set('run', {
      processes: processes.length,
      log_lines: lines.length,
      answers: answers.length,
      session_cookies_issued: proxy.cookieValues.size,
      target_requests: proxy.requests.length,
      outage_batch: { failed: downStatus.body.failed, processed: downStatus.body.processed },
      wrong_target_password_task: failedStatus,
      hostile_os_numbers: refused,
      faults_served: sim.stats().errorsServed,
      phases,
    });
    expect(proxy.cookieValues.size).toBeGreaterThan(1);
    expect(lines.length).toBeGreaterThan(100);
    expect(failedStatus).toBe('failed');
  });

  it('finds no secret value in any log line or answer', () => {
    const lines = processes.flatMap((service) => service.output);
    const values: Record<string, string[]> = {
      ...Object.fromEntries(Object.entries(secrets).map(([name, value]) => [name, [value]])),
      target_session_cookies: [...proxy.cookieValues],
      access_tokens: tokens,
    };
    const leaks: string[] = [];
    for (const [name, list] of Object.entries(values)) {
      for (const value of list) {
        const inLogs = lines.filter((line) => line.includes(value)).length;
        const inAnswers = answers.filter((answer) => answer.includes(value)).length;
        // An access token is the answer to a login, and only that.
        const allowedAnswers = name === 'access_tokens' ? 1 : 0;
        if (inLogs > 0) leaks.push(`${name} in ${inLogs} log line(s)`);
        if (inAnswers > allowedAnswers) leaks.push(`${name} in ${inAnswers} answer(s)`);
      }
    }
    figures.set('secrets', {
      secrets_checked: Object.fromEntries(
        Object.entries(values).map(([name, list]) => [name, list.length]),
      ),
      log_lines_searched: lines.length,
      answers_searched: answers.length,
      leaks,
    });
    expect(leaks).toEqual([]);
  });

  it('requested only the profile’s URLs from the target, with digits where the OS number goes', () => {
    const outside = proxy.requests
      .filter((request) => !ALLOWED_URLS.some((pattern) => pattern.test(request.url)))
      .map((request) => `${request.method} ${request.url}`);
    figures.set('target_urls', {
      requests: proxy.requests.length,
      distinct_paths: [
        ...new Set(proxy.requests.map((request) => request.url.split('?')[0])),
      ].sort(),
      outside_profile: outside,
    });
    expect(proxy.requests.length).toBeGreaterThan(50);
    expect(outside).toEqual([]);
  });
});
