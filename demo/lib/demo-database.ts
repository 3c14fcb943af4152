import pg from 'pg';
import { DemoError } from './demo-error.js';
import { maintenanceUrl } from './prerequisites.js';

/** The database named in a postgres:// URL. */
export function databaseName(databaseUrl: string): string {
  return decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, ''));
}

/**
 * Drops the demo's database so each run starts empty (the service creates and migrates it at
 * boot). A run keeps nothing worth keeping, and a fresh database means the admin it creates
 * has this run's password. Only a database whose name says "demo" is ever dropped.
 */
export async function resetDemoDatabase(databaseUrl: string): Promise<void> {
  const name = databaseName(databaseUrl);
  if (!/demo/i.test(name)) {
    throw new DemoError(
      `DATABASE_URL names the database "${name}": the demo drops and recreates its database at each run, ` +
        'so it only uses one whose name contains "demo" (the default is registro_os_demo).',
    );
  }
  const client = new pg.Client({
    connectionString: maintenanceUrl(databaseUrl),
    connectionTimeoutMillis: 5_000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
  } catch (error) {
    throw new DemoError(`could not reset the demo database "${name}": ${(error as Error).message}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}
