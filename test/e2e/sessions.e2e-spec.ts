import { createHmac } from 'node:crypto';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueName } from '../../src/queues/queue-names.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { REDIS_URL } from '../support/test-redis.js';

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** An HS256 token signed with the service's own secret, with exactly these claims. */
const sign = (claims: object, secret: string) => {
  const unsigned = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
};
const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

const BOARD_API = '/admin/queues/api/queues';
const ADD_JOB = '/admin/queues/api/queues/maintenance/add';

/** Revocable sessions and tokens, and the CSRF defence of cookie-authenticated changes. */
describe('sessions, logout and cross-site requests', () => {
  let t: TestApp;
  let origin: string;

  /** An admin of its own, with a fresh admin-page cookie (`name=value`). */
  const adminWithCookie = async () => {
    const admin = await t.createUser('admin');
    const opened = await t
      .http()
      .post('/admin/session')
      .set('Authorization', `Bearer ${admin.token}`)
      .expect(204);
    return { admin, cookie: String(opened.headers['set-cookie']).split(';')[0]! };
  };
  const maintenanceJobs = () =>
    t.app.get<Queue>(getQueueToken(QueueName.Maintenance)).getJobCounts();

  beforeAll(async () => {
    // Behind a (loopback) proxy it trusts, as a TLS-terminating proxy would be.
    t = await startTestApp({ env: { ROLE: 'api', TRUST_PROXY: 'loopback' }, listen: true });
    origin = t.url;
  });
  afterAll(() => t?.close());

  it('issues tokens with a jti and an exp, keeping the login answer as it was', async () => {
    const user = await t.createUser();
    const response = await t
      .http()
      .post('/api/auth/login')
      .send({ username: user.username, password: user.password })
      .expect(200);
    expect(Object.keys(response.body).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
    const claims = claimsOf(response.body.access_token as string);
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(claims.exp).toBe((claims.iat as number) + 3600);
    expect(claimsOf(user.token).jti).not.toBe(claims.jti);
  });

  it('refuses a well-signed token without exp, or without jti', async () => {
    const user = await t.createUser();
    const { exp: _exp, ...noExp } = claimsOf(user.token);
    const { jti: _jti, ...noJti } = claimsOf(user.token);
    const secret = t.config.JWT_SECRET!;
    const withoutExp = await t
      .http()
      .get('/api/desenvolvimento/scraping-statistics')
      .set('Authorization', `Bearer ${sign(noExp, secret)}`);
    expect(withoutExp.status).toBe(401);
    expect(withoutExp.body.message).toBe('token has no expiry');
    const withoutJti = await t
      .http()
      .get('/api/desenvolvimento/scraping-statistics')
      .set('Authorization', `Bearer ${sign(noJti, secret)}`);
    expect(withoutJti.status).toBe(401);
    expect(withoutJti.body.message).toBe('token has no id (jti)');
    // The same claims with both are accepted: the refusal is about the missing claim only.
    await t
      .http()
      .get('/api/desenvolvimento/scraping-statistics')
      .set('Authorization', `Bearer ${sign(claimsOf(user.token), secret)}`)
      .expect(200);
  });

  it('POST /api/auth/logout revokes the presented token only, until it expires', async () => {
    const user = await t.createUser();
    const other = await t.login(user.username, user.password);
    await t
      .http()
      .post('/api/auth/logout')
      .set('Authorization', `Bearer ${user.token}`)
      .expect(204);
    const replay = await t
      .http()
      .get('/api/desenvolvimento/scraping-statistics')
      .set('Authorization', `Bearer ${user.token}`);
    expect(replay.status).toBe(401);
    expect(replay.body.message).toBe('token has been revoked');
    await t
      .http()
      .post('/api/auth/logout')
      .set('Authorization', `Bearer ${user.token}`)
      .expect(401);
    await t
      .http()
      .get('/api/desenvolvimento/scraping-statistics')
      .set('Authorization', `Bearer ${other}`)
      .expect(200);
    // Kept in Redis no longer than the token could live.
    const redis = createClient({ url: REDIS_URL });
    await redis.connect();
    try {
      const ttl = await redis.ttl(
        `${t.redisPrefix}:revoked-token:${String(claimsOf(user.token).jti)}`,
      );
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(3600);
    } finally {
      await redis.close();
    }
  });

  it('the admin cookie holds an opaque session id that ends at logout: replayed, it gets 401', async () => {
    const { admin, cookie } = await adminWithCookie();
    const sessionId = cookie.split('=')[1]!;
    expect(sessionId).toMatch(/^[\w-]{43}$/);
    expect(sessionId).not.toContain(admin.token.split('.')[1]!);
    // The id is no token: it opens nothing as a bearer.
    await t.http().get('/api/admin/users').set('Authorization', `Bearer ${sessionId}`).expect(401);
    await t.http().get(BOARD_API).set('Cookie', cookie).expect(200);

    const redis = createClient({ url: REDIS_URL });
    await redis.connect();
    try {
      const ttl = await redis.ttl(`${t.redisPrefix}:admin-session:${sessionId}`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(t.config.ADMIN_SESSION_IDLE_SECONDS);
    } finally {
      await redis.close();
    }

    const logout = await t
      .http()
      .delete('/admin/session')
      .set('Cookie', cookie)
      .set('Origin', origin)
      .set('Sec-Fetch-Site', 'same-origin');
    expect(logout.status).toBe(204);
    expect(String(logout.headers['set-cookie'])).toMatch(
      /^ros_admin_session=; Path=\/admin; Max-Age=0/,
    );
    const replay = await t.http().get(BOARD_API).set('Cookie', cookie);
    expect(replay.status).toBe(401);
    expect(replay.body.message).toBe('session has ended; log in again');
    await t.http().get('/admin/queues').set('Cookie', cookie).expect(401);
  });

  it('ends a session at its absolute end, however recently it was used', async () => {
    const { cookie } = await adminWithCookie();
    const key = `${t.redisPrefix}:admin-session:${cookie.split('=')[1]!}`;
    await t.http().get(BOARD_API).set('Cookie', cookie).expect(200);
    const redis = createClient({ url: REDIS_URL });
    await redis.connect();
    try {
      // As if ADMIN_SESSION_MAX_SECONDS had passed since it opened (the idle time is fresh).
      const session = JSON.parse((await redis.get(key))!) as { endsAt: number };
      expect(session.endsAt - Date.now()).toBeGreaterThan(
        (t.config.ADMIN_SESSION_MAX_SECONDS - 60) * 1000,
      );
      await redis.set(key, JSON.stringify({ ...session, endsAt: Date.now() - 1000 }), {
        KEEPTTL: true,
      });
      await t.http().get(BOARD_API).set('Cookie', cookie).expect(401);
      expect(await redis.exists(key)).toBe(0);
    } finally {
      await redis.close();
    }
  });

  it('Swagger UI does not keep the token in localStorage', async () => {
    const init = await t.http().get('/api/docs/swagger-ui-init.js').expect(200);
    expect(init.text).toMatch(/"persistAuthorization":\s*false/);
  });

  it('marks the admin cookie Secure when the trusted proxy says the request came over TLS', async () => {
    const { admin } = await adminWithCookie();
    const overTls = await t
      .http()
      .post('/admin/session')
      .set('Authorization', `Bearer ${admin.token}`)
      .set('X-Forwarded-Proto', 'https')
      .expect(204);
    expect(String(overTls.headers['set-cookie'])).toMatch(/; Secure$/);
    const plain = await t
      .http()
      .post('/admin/session')
      .set('Authorization', `Bearer ${admin.token}`)
      .expect(204);
    expect(String(plain.headers['set-cookie'])).not.toContain('Secure');
  });

  it('a password reset, a role change or a deactivation ends the admin sessions', async () => {
    const root = await t.adminToken();
    const reset = await adminWithCookie();
    await t
      .http()
      .post(`/api/admin/users/${reset.admin.id}/reset-password`)
      .set('Authorization', `Bearer ${root}`)
      .send({ password: 'a-brand-new-password' })
      .expect(200);
    await t.http().get(BOARD_API).set('Cookie', reset.cookie).expect(401);

    const demoted = await adminWithCookie();
    await t.db.query(`UPDATE users SET role = 'user' WHERE id = $1`, [demoted.admin.id]);
    await t.http().get(BOARD_API).set('Cookie', demoted.cookie).expect(401);
    // Ended for good: restoring the role does not bring the session back.
    await t.db.query(`UPDATE users SET role = 'admin' WHERE id = $1`, [demoted.admin.id]);
    await t.http().get(BOARD_API).set('Cookie', demoted.cookie).expect(401);

    const deactivated = await adminWithCookie();
    await t
      .http()
      .post(`/api/admin/users/${deactivated.admin.id}/deactivate`)
      .set('Authorization', `Bearer ${root}`)
      .expect(200);
    await t.http().get(BOARD_API).set('Cookie', deactivated.cookie).expect(401);
  });

  it('refuses cross-site and unproven changes to the queue board with 403, and adds nothing', async () => {
    const { cookie } = await adminWithCookie();
    const before = await maintenanceJobs();
    const attempts = {
      // The request of the report: another site, a text/plain body.
      cross_site: t
        .http()
        .post(ADD_JOB)
        .set('Cookie', cookie)
        .set('Origin', 'http://evil.example')
        .set('Sec-Fetch-Site', 'cross-site')
        .set('Content-Type', 'text/plain')
        .send('{"name":"clean-jobs","data":{}}'),
      // Another port on this host: same site, another origin.
      same_site: t
        .http()
        .post(ADD_JOB)
        .set('Cookie', cookie)
        .set('Origin', 'http://127.0.0.1:1')
        .set('Sec-Fetch-Site', 'same-site')
        .set('Content-Type', 'application/x-www-form-urlencoded')
        .send('name=clean-jobs'),
      // A client that names no origin and sends a form body: nothing proves it is the page.
      unproven_form: t
        .http()
        .post(ADD_JOB)
        .set('Cookie', cookie)
        .set('Content-Type', 'application/x-www-form-urlencoded')
        .send('name=clean-jobs'),
      cross_site_pause: t
        .http()
        .put('/admin/queues/api/queues/scraping/pause')
        .set('Cookie', cookie)
        .set('Origin', 'http://evil.example'),
    };
    for (const [name, pending] of Object.entries(attempts)) {
      const response = await pending;
      expect(response.status, name).toBe(403);
      expect(response.body.message, name).toMatch(/^cross-site request refused: /);
    }
    expect(await maintenanceJobs()).toEqual(before);
    expect(await t.app.get<Queue>(getQueueToken(QueueName.Scraping)).isPaused()).toBe(false);

    // The board's own requests (same origin, JSON) still act; so does a bearer-token client.
    await t
      .http()
      .post(ADD_JOB)
      .set('Cookie', cookie)
      .set('Origin', origin)
      .set('Sec-Fetch-Site', 'same-origin')
      .send({ name: 'clean-jobs', data: {} })
      .expect(200);
    await t
      .http()
      .put('/admin/queues/api/queues/scraping/pause')
      .set('Cookie', cookie)
      .set('X-Requested-With', 'fetch')
      .expect(200);
    await t
      .http()
      .put('/admin/queues/api/queues/scraping/resume')
      .set('Authorization', `Bearer ${await t.adminToken()}`)
      .expect(200);
    const after = await maintenanceJobs();
    expect(after.waiting + after.delayed).toBe(before.waiting + before.delayed + 1);
    // Reading needs no proof: the page and its GETs are not state changes.
    await t
      .http()
      .get(BOARD_API)
      .set('Cookie', cookie)
      .set('Origin', 'http://evil.example')
      .expect(200);
  });

  it('a cross-site logout cannot end a session, the page’s own can', async () => {
    const { cookie } = await adminWithCookie();
    await t
      .http()
      .delete('/admin/session')
      .set('Cookie', cookie)
      .set('Origin', 'http://evil.example')
      .expect(403);
    await t.http().get(BOARD_API).set('Cookie', cookie).expect(200);
    await t
      .http()
      .delete('/admin/session')
      .set('Cookie', cookie)
      .set('X-Requested-With', 'fetch')
      .expect(204);
    await t.http().get(BOARD_API).set('Cookie', cookie).expect(401);
  });
});
