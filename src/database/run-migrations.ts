import type { DataSource, Migration } from 'typeorm';

// Any fixed 64-bit key: processes that start together take turns instead of racing DDL.
const MIGRATION_LOCK_KEY = 7_120_551_904;

/** Runs pending migrations while holding a PostgreSQL advisory lock. */
export async function runMigrationsLocked(dataSource: DataSource): Promise<Migration[]> {
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    return await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.release();
  }
}
