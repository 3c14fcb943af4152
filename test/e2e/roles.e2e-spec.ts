import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAIN_JS, ServiceProcess } from '../support/service-process.js';
import { testEnv } from '../support/test-app.js';
import { adminQuery, createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { deleteRedisKeys, uniqueRedisPrefix } from '../support/test-redis.js';

/** The built service as operators run it: `node dist/main.js <role>`. */
describe('process roles and lifecycle', () => {
  let db: TestDatabase;
  const prefix = uniqueRedisPrefix('roles');
  const env = (): Record<string, string> => ({ ...testEnv(db, prefix), LOG_LEVEL: 'info' });

  beforeAll(async () => {
    db = await createTestDatabase('roles');
  });
  afterAll(async () => {
    await db?.drop();
    await deleteRedisKeys(prefix);
  });

  it('fails on a bad PORT with one line naming it, no stack trace', async () => {
    const result = spawnSync(process.execPath, [MAIN_JS, 'all'], {
      env: { PATH: process.env.PATH, ENV_FILE: 'none', PORT: 'abc' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      'Invalid configuration: PORT must be an integer number (got "abc")',
    );
    expect(result.stdout).toBe('');
  });

  it('rejects an unknown role', async () => {
    const result = spawnSync(process.execPath, [MAIN_JS, 'boss'], {
      env: { PATH: process.env.PATH },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      'Unknown role "boss": use one of api, worker, scheduler, all',
    );
  });

  it('starts on an empty database: creates it, migrates, creates the admin; exits 0 on SIGTERM', async () => {
    const fresh = `${db.url}_fresh`;
    const service = await ServiceProcess.start(['all'], {
      ...env(),
      DATABASE_URL: fresh,
      DATABASE_AUTO_CREATE: 'true',
    });
    try {
      await service.waitUntilUp();
      const health = await fetch(`${service.url}/api/health`);
      expect(health.status).toBe(200);
      const login = await fetch(`${service.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: 'admin-password-for-tests' }),
      });
      expect(login.status).toBe(200);
      const docs = (await (await fetch(`${service.url}/api/docs-json`)).json()) as {
        paths: Record<string, unknown>;
      };
      expect(Object.keys(docs.paths)).toEqual(
        expect.arrayContaining(['/api/auth/login', '/api/admin/users']),
      );
    } finally {
      expect(await service.stop('SIGTERM')).toBe(0);
      await adminQuery(`DROP DATABASE IF EXISTS "${fresh.split('/').pop()}" WITH (FORCE)`);
    }
    const messages = service.logLines().map((line) => line.msg);
    expect(messages).toContain('Database created');
    expect(messages).toContain('Created the first admin "admin"');
  });

  it('ROLE=worker serves health only: no API routes, no docs', async () => {
    const service = await ServiceProcess.start([], { ...env(), ROLE: 'worker' });
    try {
      await service.waitUntilUp();
      expect((await fetch(`${service.url}/api/health`)).status).toBe(200);
      const login = await fetch(`${service.url}/api/auth/login`, { method: 'POST' });
      expect(login.status).toBe(404);
      expect((await fetch(`${service.url}/api/docs-json`)).status).toBe(404);
    } finally {
      expect(await service.stop('SIGINT')).toBe(0);
    }
  });
});
