import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app.js';
import { Figures } from './support/figures.js';

/** Routes anyone may call, listed here on purpose: a new public route must be added by hand. */
const PUBLIC_ROUTES = new Set([
  'POST /api/auth/login',
  'GET /api/health',
  'GET /api/health/live',
  'GET /api/docs-json',
  'GET /api/docs',
]);

const b64 = (value: object | string) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const sign = (header: object, payload: object, secret: string) => {
  const unsigned = `${b64(header)}.${b64(payload)}`;
  return `${unsigned}.${createHmac(
    header && 'alg' in header && header.alg === 'HS512' ? 'sha512' : 'sha256',
    secret,
  )
    .update(unsigned)
    .digest('base64url')}`;
};
const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

interface Operation {
  method: string;
  path: string;
  admin: boolean;
}

const sample = (path: string) =>
  path
    .replace(/\{(task_id|id)\}/g, '00000000-0000-4000-8000-000000000000')
    .replace('{os_number}', '12345')
    .replace('{task}', 'clean-jobs');

describe('security: who may call what, tokens, throttling, headers, CORS', () => {
  const figures = new Figures('security');
  let t: TestApp;
  let user: TestUser;
  let adminToken: string;
  let operations: Operation[];

  const call = (operation: Operation, token?: string, path = sample(operation.path)) => {
    const method = operation.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    const request = t.http()[method](path).buffer(true).timeout(20_000);
    if (token) request.set('Authorization', `Bearer ${token}`);
    // SSE routes stream forever for a real batch; the sampled ids are unknown, so they answer.
    return request.send({});
  };

  beforeAll(async () => {
    t = await startTestApp({ env: { ROLE: 'api', LOGIN_MAX_FAILURES: '3' } });
    user = await t.createUser();
    adminToken = await t.adminToken();
    const doc = (await t.http().get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods)
        .filter((method) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
        .map((method) => ({
          method: method.toUpperCase(),
          path,
          admin: path.startsWith('/api/admin/'),
        })),
    );
  });
  afterAll(() => t?.close());

  it('reads every route from the OpenAPI document, and the public ones are exactly those listed', async () => {
    expect(operations.length).toBeGreaterThanOrEqual(25);
    const publicFound: string[] = [];
    for (const operation of operations) {
      const response = await call(operation);
      if (response.status !== 401) publicFound.push(`${operation.method} ${operation.path}`);
    }
    expect(publicFound.sort()).toEqual(
      [...PUBLIC_ROUTES]
        .filter((route) => operations.some((o) => `${o.method} ${o.path}` === route))
        .sort(),
    );
    figures.set('routes', {
      from_openapi: operations.length,
      public: publicFound,
      admin_only: operations.filter((o) => o.admin).length,
      user: operations.filter((o) => !o.admin && !PUBLIC_ROUTES.has(`${o.method} ${o.path}`))
        .length,
    });
  });

  it('answers 401 for no, forged, unsigned, expired, re-algorithmed and revoked tokens on every protected route, 403 for users on admin routes', async () => {
    const secret = t.config.JWT_SECRET!;
    const real = claimsOf(user.token);
    const now = Math.floor(Date.now() / 1000);
    const revoked = await t.createUser();
    await t
      .http()
      .post(`/api/admin/users/${revoked.id}/deactivate`)
      .set('Authorization', `Bearer ${adminToken}`)
      .expect(200);
    const badTokens: Record<string, string | undefined> = {
      none: undefined,
      garbage: 'not.a.token',
      alg_none: `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...real, role: 'admin' })}.`,
      wrong_secret: sign({ alg: 'HS256', typ: 'JWT' }, { ...real, role: 'admin' }, 'x'.repeat(48)),
      hs512_same_secret: sign({ alg: 'HS512', typ: 'JWT' }, real, secret),
      expired: sign(
        { alg: 'HS256', typ: 'JWT' },
        { ...real, iat: now - 7200, exp: now - 3600 },
        secret,
      ),
      not_yet_valid: sign({ alg: 'HS256', typ: 'JWT' }, { ...real, nbf: now + 3600 }, secret),
      unknown_user: sign(
        { alg: 'HS256', typ: 'JWT' },
        { ...real, sub: '00000000-0000-4000-8000-000000000000' },
        secret,
      ),
      deactivated_user: revoked.token,
      tampered_payload: `${user.token.split('.')[0]}.${b64({ ...real, role: 'admin' })}.${user.token.split('.')[2]}`,
    };
    const failures: string[] = [];
    const protectedOps = operations.filter((o) => !PUBLIC_ROUTES.has(`${o.method} ${o.path}`));
    let checks = 0;
    for (const operation of protectedOps) {
      for (const [name, token] of Object.entries(badTokens)) {
        const response = await call(operation, token);
        checks += 1;
        if (response.status !== 401 || response.body?.statusCode !== 401)
          failures.push(`${operation.method} ${operation.path} ${name} → ${response.status}`);
      }
      // Logout revokes the token it is given: it gets tokens of its own.
      const logout = `${operation.method} ${operation.path}` === 'POST /api/auth/logout';
      const asUser = await call(
        operation,
        logout ? await t.login(user.username, user.password) : user.token,
      );
      const asAdmin = await call(operation, logout ? await t.adminToken() : adminToken);
      checks += 2;
      if (operation.admin && asUser.status !== 403)
        failures.push(`${operation.method} ${operation.path} user → ${asUser.status} (want 403)`);
      if (!operation.admin && [401, 403].includes(asUser.status))
        failures.push(`${operation.method} ${operation.path} user → ${asUser.status}`);
      if ([401, 403].includes(asAdmin.status))
        failures.push(`${operation.method} ${operation.path} admin → ${asAdmin.status}`);
    }
    figures.set('auth_matrix', {
      protected_routes: protectedOps.length,
      token_kinds_refused: Object.keys(badTokens),
      requests: checks,
      failures,
    });
    expect(failures).toEqual([]);
  });

  it('throttles failed logins per username whatever its case, spacing or X-Forwarded-For', async () => {
    const victim = await t.createUser();
    const variants = [victim.username.toUpperCase(), ` ${victim.username} `, victim.username];
    for (const [index, username] of variants.entries()) {
      await t
        .http()
        .post('/api/auth/login')
        .set('X-Forwarded-For', `203.0.113.${index + 1}`)
        .send({ username, password: 'wrong password' })
        .expect(401);
    }
    const blocked = await t
      .http()
      .post('/api/auth/login')
      .set('X-Forwarded-For', '198.51.100.7')
      .send({ username: victim.username, password: victim.password });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    figures.set('login_throttle', {
      max_failures: 3,
      bypass_attempts: ['upper case', 'surrounding spaces', 'X-Forwarded-For per try'],
      answer_after_limit: blocked.status,
    });
  });

  it('sends the security headers on successes, errors and refusals, and never X-Powered-By', async () => {
    const responses = {
      ok: await t.http().get('/api/health/live'),
      unauthorized: await t.http().get('/api/desenvolvimento/scraping-statistics'),
      not_found: await t.http().get('/api/nothing-here'),
      malformed_json: await t
        .http()
        .post('/api/auth/login')
        .set('Content-Type', 'application/json')
        .send('{"username":'),
      too_large: await t
        .http()
        .post('/api/auth/login')
        .send({ username: 'x'.repeat(3_000_000), password: 'x' }),
      validation: await t.http().post('/api/auth/login').send({}),
    };
    const missing: string[] = [];
    const expected: Record<string, RegExp> = {
      'x-content-type-options': /^nosniff$/,
      'x-frame-options': /^SAMEORIGIN|DENY$/,
      'strict-transport-security': /max-age=\d+/,
      'content-security-policy': /default-src 'self'/,
      'referrer-policy': /no-referrer/,
      'cross-origin-opener-policy': /same-origin/,
      'cross-origin-resource-policy': /same-origin/,
    };
    for (const [name, response] of Object.entries(responses)) {
      for (const [header, pattern] of Object.entries(expected)) {
        if (!pattern.test(String(response.headers[header] ?? '')))
          missing.push(`${name} (${response.status}): ${header}`);
      }
      if (response.headers['x-powered-by']) missing.push(`${name}: x-powered-by present`);
    }
    figures.set('headers', {
      responses: Object.keys(responses),
      checked: Object.keys(expected),
      missing,
    });
    expect(missing).toEqual([]);
  });

  it('allows cross-origin calls only from CORS_ORIGINS, and none when it is empty', async () => {
    const allowed = 'https://painel.example.com';
    const withCors = await startTestApp({ env: { ROLE: 'api', CORS_ORIGINS: allowed } });
    try {
      const preflight = (app: TestApp, origin: string) =>
        app
          .http()
          .options('/api/desenvolvimento/scraping-batch')
          .set('Origin', origin)
          .set('Access-Control-Request-Method', 'POST')
          .set('Access-Control-Request-Headers', 'authorization,content-type');
      const ok = await preflight(withCors, allowed);
      expect(ok.headers['access-control-allow-origin']).toBe(allowed);
      expect(ok.headers['access-control-allow-headers']).toMatch(/authorization/i);
      const evil = await preflight(withCors, 'https://evil.example');
      expect(evil.headers['access-control-allow-origin']).toBeUndefined();
      const simpleEvil = await withCors
        .http()
        .get('/api/health/live')
        .set('Origin', 'https://evil.example');
      expect(simpleEvil.headers['access-control-allow-origin']).toBeUndefined();
      // The app without CORS_ORIGINS: no origin is allowed.
      const none = await preflight(t, allowed);
      expect(none.headers['access-control-allow-origin']).toBeUndefined();
      figures.set('cors', {
        configured_origin_allowed: true,
        other_origin_refused: true,
        cors_off_when_empty: true,
      });
    } finally {
      await withCors.close();
    }
  });

  it('npm audit --omit=dev finds no high or critical advisory (skipped when the advisory service is unreachable)', (context) => {
    const run = spawnSync('npm', ['audit', '--omit=dev', '--json'], {
      cwd: process.cwd(),
      encoding: 'utf8',
      timeout: 120_000,
    });
    let report: { metadata?: { vulnerabilities?: Record<string, number> }; message?: string };
    try {
      report = JSON.parse(run.stdout) as typeof report;
    } catch {
      report = { message: run.stderr.slice(0, 300) || 'no answer' };
    }
    const counts = report.metadata?.vulnerabilities;
    if (!counts) {
      const reason = `npm audit could not reach the advisory service: ${report.message ?? run.stderr.slice(0, 200)}`;
      figures.set('npm_audit', { ran: false, reason });
      context.skip(reason);
      return;
    }
    figures.set('npm_audit', { ran: true, vulnerabilities: counts });
    expect({ high: counts.high ?? 0, critical: counts.critical ?? 0 }).toEqual({
      high: 0,
      critical: 0,
    });
  });
});
