import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import pg from 'pg';
import { createClient } from 'redis';
import { resolveChromium } from '../../src/scraping/browser/chromium-path.js';
import { reasonOf, redactUrl } from './demo-error.js';

// The app services of the Compose file read .env: Compose wants it to exist, even for these two.
export const COMPOSE_LINE =
  '[ -f .env ] || cp .env.example .env; docker compose -f docker/docker-compose.yml up -d postgres redis';

export interface DemoEnvironment {
  databaseUrl: string;
  redisUrl: string;
  chromiumPath: string;
}

export function demoEnvironment(env: NodeJS.ProcessEnv): DemoEnvironment {
  return {
    databaseUrl: env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/registro_os_demo',
    redisUrl: env.REDIS_URL || 'redis://127.0.0.1:6379/0',
    // The service's own lookup: CHROMIUM_PATH, Playwright's browser, the system's chromium.
    chromiumPath: resolveChromium(env.CHROMIUM_PATH || undefined).path,
  };
}

/**
 * Everything the demo needs that is missing, each with how to fix it. All checks run (in
 * parallel), so one run lists every problem at once.
 */
export async function missingPrerequisites(environment: DemoEnvironment): Promise<string[]> {
  const problems = await Promise.all([
    checkPostgres(environment.databaseUrl),
    checkRedis(environment.redisUrl),
    checkChromium(environment.chromiumPath),
  ]);
  return problems.filter((problem): problem is string => problem !== undefined);
}

/** The server's `postgres` database: the demo's own database may not exist yet. */
export function maintenanceUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.pathname = '/postgres';
  return url.toString();
}

async function checkPostgres(databaseUrl: string): Promise<string | undefined> {
  let url: string;
  try {
    url = maintenanceUrl(databaseUrl);
  } catch {
    return `DATABASE_URL is not a URL: ${redactUrl(databaseUrl)}\n  Use the form postgres://user:password@host:5432/registro_os_demo`;
  }
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return (
      `PostgreSQL is not reachable at ${redactUrl(databaseUrl)} (${reasonOf(error)}).\n` +
      `  Start PostgreSQL and Redis with: ${COMPOSE_LINE}\n` +
      '  or point DATABASE_URL at a running server.'
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function checkRedis(redisUrl: string): Promise<string | undefined> {
  const client = createClient({
    url: redisUrl,
    socket: { connectTimeout: 5_000, reconnectStrategy: false },
  });
  let lastError: unknown;
  client.on('error', (error: unknown) => (lastError = error));
  try {
    await client.connect();
    await client.ping();
    return undefined;
  } catch (error) {
    return (
      `Redis is not reachable at ${redactUrl(redisUrl)} (${reasonOf(lastError ?? error)}).\n` +
      `  Start PostgreSQL and Redis with: ${COMPOSE_LINE}\n` +
      '  or point REDIS_URL at a running server.'
    );
  } finally {
    if (client.isOpen) await client.close().catch(() => undefined);
  }
}

async function checkChromium(path: string): Promise<string | undefined> {
  try {
    if (!(await stat(path)).isFile()) throw new Error('not a file');
    await access(path, constants.X_OK);
    return undefined;
  } catch {
    return (
      `Chromium was not found (looked at ${path}). Any one of these will do, tried in this order:\n` +
      '  1. set CHROMIUM_PATH to a Chromium or Chrome binary\n' +
      "  2. npx playwright install chromium   (Playwright's own build; macOS, Linux, Windows)\n" +
      "  3. the system's chromium: sudo apt-get install -y chromium   (Debian/Ubuntu)"
    );
  }
}
