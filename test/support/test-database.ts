import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const SERVER_URL =
  process.env.TEST_DATABASE_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432';

/** `application_name` of the harness's own connections to a test database. */
export const HARNESS_APP_NAME = 'ros-test-harness';

export interface TestDatabase {
  name: string;
  url: string;
  query<T extends pg.QueryResultRow = pg.QueryResultRow>(
    sql: string,
    params?: unknown[],
  ): Promise<T[]>;
  drop(): Promise<void>;
}

/** A fresh, empty database of its own for one test file, dropped afterwards. */
export async function createTestDatabase(label = 'e2e'): Promise<TestDatabase> {
  const name = `ros_test_${label.replace(/\W/g, '_')}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  const url = `${SERVER_URL}/${name}`;
  // Named, so a test that terminates the app's connections can spare the harness's own.
  const pool = new pg.Pool({ connectionString: url, max: 2, application_name: HARNESS_APP_NAME });
  pool.on('error', () => undefined);
  return {
    name,
    url,
    async query<T extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<T[]> {
      return (await pool.query<T>(sql, params)).rows;
    },
    async drop() {
      await pool.end();
      await adminQuery(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
    },
  };
}

/** Runs one statement against the server's `postgres` database. */
export async function adminQuery(sql: string, params?: unknown[]): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: `${SERVER_URL}/postgres` });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}
