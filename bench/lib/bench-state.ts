import pg from 'pg';
import { createClient } from 'redis';

/** The PostgreSQL server benchmarks create their databases on. */
export const BENCH_DATABASE_SERVER =
  process.env.BENCH_DATABASE_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432';

/** Drops a benchmark's database (if it exists), closing its connections. */
export async function dropBenchDatabase(name: string): Promise<void> {
  const client = new pg.Client({ connectionString: `${BENCH_DATABASE_SERVER}/postgres` });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** Deletes every Redis key under a benchmark's prefix. */
export async function deleteBenchKeys(
  prefix: string,
  url = 'redis://127.0.0.1:6379/0',
): Promise<void> {
  const redis = createClient({ url });
  await redis.connect();
  try {
    for await (const keys of redis.scanIterator({ MATCH: `${prefix}:*` }))
      if (keys.length) await redis.del(keys);
  } finally {
    await redis.close();
  }
}
