import { randomBytes } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { AppModule } from '../../src/app.module.js';
import { configureHttp } from '../../src/common/configure-http.js';
import type { AppConfig } from '../../src/config/app-config.js';
import { loadConfig } from '../../src/config/load-config.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';
import { deleteRedisKeys, REDIS_URL, uniqueRedisPrefix } from './test-redis.js';

export const ADMIN = { username: 'admin', password: 'admin-password-for-tests' };

export interface TestAppOptions {
  /** Extra or overriding environment variables. */
  env?: Record<string, string>;
  /** Reuse a database (e.g. to restart an app on the same data). */
  database?: TestDatabase;
  /** Listen on a real port (for clients other than supertest). */
  listen?: boolean;
  /**
   * `false` stops the scheduler's crons once started: a test that triggers maintenance itself (or
   * writes rows a task would change) must not race a cron firing at a minute's turn.
   */
  crons?: boolean;
}

export interface TestUser {
  id: string;
  username: string;
  password: string;
  token: string;
}

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  db: TestDatabase;
  redisPrefix: string;
  /** Base URL when started with `listen: true`. */
  url: string;
  http(): ReturnType<typeof request>;
  login(username: string, password: string): Promise<string>;
  adminToken(): Promise<string>;
  createUser(role?: 'user' | 'admin'): Promise<TestUser>;
  /** Closes the app only (the database and Redis keys stay, for a restart). */
  stop(): Promise<void>;
  /** Closes the app, drops its database and deletes its Redis keys. */
  close(): Promise<void>;
}

/** The environment every test app starts from: its own database and Redis key prefix. */
export function testEnv(database: TestDatabase, redisPrefix: string): Record<string, string> {
  return {
    NODE_ENV: 'test',
    ROLE: 'all',
    DATABASE_URL: database.url,
    DATABASE_AUTO_CREATE: 'false',
    REDIS_URL,
    REDIS_PREFIX: redisPrefix,
    JWT_SECRET: randomBytes(48).toString('base64url'),
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    SHUTDOWN_GRACE_MS: '5000',
    // Figures computed by hand must match the API at once.
    STATS_CACHE_SECONDS: '0',
  };
}

/** Boots the real AppModule against the real PostgreSQL and Redis, configured as `main.ts` does. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const db = options.database ?? (await createTestDatabase());
  const redisPrefix = options.env?.REDIS_PREFIX ?? uniqueRedisPrefix();
  const config = loadConfig({ ...testEnv(db, redisPrefix), ...options.env });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bodyParser: false,
    bufferLogs: true,
    abortOnError: false,
  });
  configureHttp(app, config);
  let url = '';
  if (options.listen) {
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  } else {
    await app.init();
  }
  if (options.crons === false) {
    for (const job of app.get(SchedulerRegistry).getCronJobs().values()) await job.stop();
  }

  const http = () => request(app.getHttpServer());
  const login = async (username: string, password: string) => {
    const response = await http().post('/api/auth/login').send({ username, password });
    if (response.status !== 200)
      throw new Error(`login as ${username} failed: ${response.status} ${response.text}`);
    return response.body.access_token as string;
  };
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await app.close();
  };
  return {
    app,
    config,
    db,
    redisPrefix,
    url,
    http,
    login,
    adminToken: () => login(ADMIN.username, ADMIN.password),
    async createUser(role: 'user' | 'admin' = 'user') {
      const username = `user_${randomBytes(4).toString('hex')}`;
      const password = `pw-${randomBytes(8).toString('hex')}`;
      const response = await http()
        .post('/api/admin/users')
        .set('Authorization', `Bearer ${await login(ADMIN.username, ADMIN.password)}`)
        .send({ username, password, role });
      if (response.status !== 201) throw new Error(`creating ${username} failed: ${response.text}`);
      return {
        id: response.body.id as string,
        username,
        password,
        token: await login(username, password),
      };
    },
    stop,
    async close() {
      await stop();
      if (!options.database) await db.drop();
      await deleteRedisKeys(redisPrefix);
    },
  };
}
