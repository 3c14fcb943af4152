import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDataSourceOptions } from '../../src/database/data-source-options.js';
import { migrations } from '../../src/database/migrations/index.js';
import { runMigrationsLocked } from '../../src/database/run-migrations.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

async function tables(db: TestDatabase): Promise<string[]> {
  const rows = await db.query<{ tablename: string }>(
    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'typeorm_migrations' ORDER BY 1",
  );
  return rows.map((row) => row.tablename);
}

describe('migrations', () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('migrations');
    dataSource = await new DataSource(
      buildDataSourceOptions({ DATABASE_URL: db.url, DATABASE_POOL_SIZE: 4 }),
    ).initialize();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('apply on an empty database, concurrently without conflict, and revert to empty', async () => {
    expect(await tables(db)).toEqual([]);
    const second = await new DataSource(
      buildDataSourceOptions({ DATABASE_URL: db.url, DATABASE_POOL_SIZE: 2 }),
    ).initialize();
    const [a, b] = await Promise.all([
      runMigrationsLocked(dataSource),
      runMigrationsLocked(second),
    ]);
    await second.destroy();
    expect(a.length + b.length).toBe(migrations.length);
    expect(await tables(db)).toContain('users');
    expect(await dataSource.showMigrations()).toBe(false);

    for (let i = 0; i < migrations.length; i += 1) await dataSource.undoLastMigration();
    expect(await tables(db)).toEqual([]);

    await runMigrationsLocked(dataSource);
    expect(await tables(db)).toContain('users');
  });
});
