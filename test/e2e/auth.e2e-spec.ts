import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startTestApp, type TestApp } from '../support/test-app.js';

describe('auth and user management', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { LOGIN_MAX_FAILURES: '3' } });
  });
  afterAll(() => t?.close());

  it('creates the first admin from ADMIN_USERNAME/ADMIN_PASSWORD and logs in', async () => {
    const response = await t.http().post('/api/auth/login').send(ADMIN).expect(200);
    expect(response.body).toEqual({
      access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      token_type: 'Bearer',
      expires_in: 3600,
    });
    const rows = await t.db.query<{ role: string }>('SELECT role FROM users WHERE username = $1', [
      ADMIN.username,
    ]);
    expect(rows).toEqual([{ role: 'admin' }]);
  });

  it('gives the same 401 for a wrong password and an unknown user', async () => {
    const wrongPassword = await t
      .http()
      .post('/api/auth/login')
      .send({ username: ADMIN.username, password: 'nope' });
    const unknownUser = await t
      .http()
      .post('/api/auth/login')
      .send({ username: 'ghost', password: 'nope' });
    expect(wrongPassword.status).toBe(401);
    expect(unknownUser.status).toBe(401);
    expect(wrongPassword.body).toEqual(unknownUser.body);
    expect(wrongPassword.body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'invalid username or password',
    });
  });

  it('throttles repeated failures for one username and address with 429 and Retry-After', async () => {
    const user = await t.createUser();
    for (let i = 0; i < 3; i += 1) {
      await t
        .http()
        .post('/api/auth/login')
        .send({ username: user.username, password: 'wrong' })
        .expect(401);
    }
    const blocked = await t
      .http()
      .post('/api/auth/login')
      .send({ username: user.username, password: user.password });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.body.message).toMatch(/too many failed logins/);
    // Another username from the same address is not affected.
    await t.http().post('/api/auth/login').send(ADMIN).expect(200);
  });

  it('validates the login body and names the field', async () => {
    const response = await t.http().post('/api/auth/login').send({ username: 'x' }).expect(400);
    expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(response.body.message).toContain('password');
    const extra = await t
      .http()
      .post('/api/auth/login')
      .send({ ...ADMIN, admin: true })
      .expect(400);
    expect(extra.body.message).toBe('property admin should not exist');
  });

  it('answers malformed JSON and oversized bodies with a 4xx in the error shape', async () => {
    const malformed = await t
      .http()
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"username":');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    const huge = await t
      .http()
      .post('/api/auth/login')
      .send({ username: 'a'.repeat(3_000_000), password: 'x' });
    expect(huge.status).toBe(413);
    expect(huge.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
  });

  it('lets an admin create, list, get, deactivate, activate and reset passwords', async () => {
    const admin = { Authorization: `Bearer ${await t.adminToken()}` };
    const created = await t
      .http()
      .post('/api/admin/users')
      .set(admin)
      .send({ username: 'Maria.Souza', password: 'a long passphrase' })
      .expect(201);
    expect(created.body).toMatchObject({ username: 'maria.souza', role: 'user', active: true });
    expect(created.body).not.toHaveProperty('password_hash');
    expect(created.body).not.toHaveProperty('passwordHash');

    await t
      .http()
      .post('/api/admin/users')
      .set(admin)
      .send({ username: 'maria.souza', password: 'another passphrase' })
      .expect(409);

    const list = await t.http().get('/api/admin/users?page=1&page_size=100').set(admin).expect(200);
    expect(list.body.items.map((u: { username: string }) => u.username)).toContain('maria.souza');
    expect(list.body.total).toBeGreaterThanOrEqual(2);

    const id = created.body.id as string;
    await t.http().get(`/api/admin/users/${id}`).set(admin).expect(200);
    await t.http().get('/api/admin/users/not-a-uuid').set(admin).expect(400);
    await t
      .http()
      .get('/api/admin/users/6f1c2a9e-3b1d-4c55-9a9e-0a1b2c3d4e5f')
      .set(admin)
      .expect(404);

    const userToken = await t.login('maria.souza', 'a long passphrase');
    await t.http().get('/api/admin/users').set('Authorization', `Bearer ${userToken}`).expect(403);

    const reset = await t
      .http()
      .post(`/api/admin/users/${id}/reset-password`)
      .set(admin)
      .send({ password: 'short' });
    expect(reset.status).toBe(400);
    expect(reset.body.message).toContain('password must be longer than or equal to 8 characters');
    await t
      .http()
      .post(`/api/admin/users/${id}/reset-password`)
      .set(admin)
      .send({ password: 'a brand new passphrase' })
      .expect(200);
    // The old token dies with the old password.
    await t.http().get('/api/health/live').set('Authorization', `Bearer ${userToken}`).expect(200);
    await t.http().get('/api/admin/users').set('Authorization', `Bearer ${userToken}`).expect(401);
    await t
      .http()
      .post('/api/auth/login')
      .send({ username: 'maria.souza', password: 'a long passphrase' })
      .expect(401);
    const fresh = await t.login('maria.souza', 'a brand new passphrase');

    const deactivated = await t
      .http()
      .post(`/api/admin/users/${id}/deactivate`)
      .set(admin)
      .expect(200);
    expect(deactivated.body.active).toBe(false);
    const refused = await t.http().get('/api/admin/users').set('Authorization', `Bearer ${fresh}`);
    expect(refused.status).toBe(401);
    expect(refused.body.message).toBe('token is no longer valid');
    await t
      .http()
      .post('/api/auth/login')
      .send({ username: 'maria.souza', password: 'a brand new passphrase' })
      .expect(401);

    await t.http().post(`/api/admin/users/${id}/activate`).set(admin).expect(200);
    await t.login('maria.souza', 'a brand new passphrase');
  });

  it('refuses tokens that are not ours', async () => {
    const [header, payload] = (await t.adminToken()).split('.');
    const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;
    const forged = `${header}.${payload}.${Buffer.from('forged').toString('base64url')}`;
    for (const token of [unsigned, forged, 'garbage']) {
      const response = await t
        .http()
        .get('/api/admin/users')
        .set('Authorization', `Bearer ${token}`);
      expect(response.status).toBe(401);
    }
    await t.http().get('/api/admin/users').expect(401);
  });
});
