import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registeredRoutes, samplePath, type RegisteredRoute } from '../support/routes.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Every admin route, read from the live router (so a new admin route is covered without
 * editing this test): 401 without a token, 403 with a user's token.
 */
describe('admin routes: 401 anonymous, 403 for users', () => {
  let t: TestApp;
  let routes: RegisteredRoute[];
  let userToken: string;

  beforeAll(async () => {
    t = await startTestApp();
    routes = registeredRoutes(t.app).filter((route) => route.path.startsWith('/api/admin'));
    userToken = (await t.createUser()).token;
  });
  afterAll(() => t?.close());

  it('finds the admin routes', () => {
    expect(routes.length).toBeGreaterThanOrEqual(6);
    expect(routes).toContainEqual({ method: 'GET', path: '/api/admin/users' });
  });

  it('refuses anonymous callers with 401 and users with 403 on every admin route', async () => {
    const failures: string[] = [];
    for (const route of routes) {
      const path = samplePath(route.path);
      const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
      const anonymous = await t.http()[method](path).send({});
      const asUser = await t
        .http()
        [method](path)
        .set('Authorization', `Bearer ${userToken}`)
        .send({});
      if (anonymous.status !== 401)
        failures.push(`${route.method} ${route.path} anonymous → ${anonymous.status}`);
      if (asUser.status !== 403)
        failures.push(`${route.method} ${route.path} user → ${asUser.status}`);
    }
    expect(failures).toEqual([]);
  });
});
