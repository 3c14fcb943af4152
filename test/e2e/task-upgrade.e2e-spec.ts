import { readFileSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDataSourceOptions } from '../../src/database/data-source-options.js';
import { UnifyTasks1764700000000 } from '../../src/database/migrations/1764700000000-UnifyTasks.js';
import { migrations } from '../../src/database/migrations/index.js';
import { runMigrationsLocked } from '../../src/database/run-migrations.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestApp } from '../support/test-app.js';

/**
 * Rows written by the code before one task model (single OS in `scrape_requests`, batches in
 * `scraping_batch_stats` + `scraping_batch_items`), and what its API answered for each task, read
 * back with no worker running. See test/fixtures/task-upgrade/README.md.
 */
interface Fixture {
  user: { username: string; password: string };
  rows: Record<OldTable, Array<Record<string, unknown>>>;
  answers: Array<{ path: string; status: number; body: unknown }>;
}
type OldTable =
  'users' | 'scraped_orders' | 'scrape_requests' | 'scraping_batch_stats' | 'scraping_batch_items';

const fixture = JSON.parse(
  readFileSync('test/fixtures/task-upgrade/tasks-before-unify.json', 'utf8'),
) as Fixture;
const OLD_TABLES: OldTable[] = [
  'users',
  'scraped_orders',
  'scrape_requests',
  'scraping_batch_stats',
  'scraping_batch_items',
];
const UNIFY = migrations.indexOf(UnifyTasks1764700000000);

/** Rows as JSON values (timestamps as ISO strings), in id order. */
async function rowsOf(db: TestDatabase, relation: string): Promise<Array<Record<string, unknown>>> {
  return JSON.parse(
    JSON.stringify(await db.query(`SELECT * FROM ${relation} ORDER BY id`)),
  ) as Array<Record<string, unknown>>;
}

const byId = (rows: Array<Record<string, unknown>>) =>
  [...rows].sort((a, b) => String(a.id).localeCompare(String(b.id)));

describe('one task model: upgrading a database filled by the code before it', () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('task_upgrade');
    dataSource = await new DataSource({
      ...buildDataSourceOptions({ DATABASE_URL: db.url, DATABASE_POOL_SIZE: 2 }),
      migrations: migrations.slice(0, UNIFY),
    }).initialize();
    await runMigrationsLocked(dataSource);
    await dataSource.destroy();
    for (const table of OLD_TABLES) {
      // Ids included, as the old code wrote them (item ids are an identity column).
      const override = table === 'scraping_batch_items' ? 'OVERRIDING SYSTEM VALUE' : '';
      await db.query(
        `INSERT INTO ${table} ${override} SELECT * FROM json_populate_recordset(NULL::${table}, $1)`,
        [JSON.stringify(fixture.rows[table])],
      );
    }
    // As a restore would leave it: the identity goes on after the ids loaded.
    await db.query(
      "SELECT setval(pg_get_serial_sequence('scraping_batch_items', 'id'), max(id)) FROM scraping_batch_items",
    );
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('has a fixture with every kind of task in it', () => {
    const states = (table: OldTable) => new Set(fixture.rows[table].map((row) => row.state));
    expect(states('scrape_requests')).toEqual(
      new Set(['completed', 'failed', 'queued', 'running']),
    );
    expect(states('scraping_batch_stats')).toEqual(
      new Set(['completed', 'cancelled', 'queued', 'running']),
    );
    expect(fixture.answers.length).toBe(
      fixture.rows.scrape_requests.length + fixture.rows.scraping_batch_stats.length + 3,
    );
  });

  it('answers every task through the API exactly as before, once the app has migrated', async () => {
    // Started on the old schema: the app applies the pending migration itself.
    const t = await startTestApp({ database: db, env: { ROLE: 'api' } });
    try {
      const token = await t.login(fixture.user.username, fixture.user.password);
      for (const answer of fixture.answers) {
        const response = await t.http().get(answer.path).set('Authorization', `Bearer ${token}`);
        expect({ path: answer.path, status: response.status, body: response.body }).toEqual(answer);
      }
    } finally {
      await t.stop();
    }
    const kinds = await db.query<{ kind: string; n: string }>(
      'SELECT kind, count(*) AS n FROM scraping_tasks GROUP BY kind ORDER BY kind',
    );
    expect(kinds).toEqual([
      { kind: 'batch', n: String(fixture.rows.scraping_batch_stats.length) },
      { kind: 'single', n: String(fixture.rows.scrape_requests.length) },
    ]);
    // The old names still read the same rows: batches only, and single OS read-only.
    expect(byId(await rowsOf(db, 'scraping_batch_stats'))).toEqual(
      byId(fixture.rows.scraping_batch_stats),
    );
    expect(byId(await rowsOf(db, 'scraping_batch_items'))).toEqual(
      byId(fixture.rows.scraping_batch_items),
    );
    expect(byId(await rowsOf(db, 'scrape_requests'))).toEqual(byId(fixture.rows.scrape_requests));
  });

  it('keeps writes through the old batch names to batches', async () => {
    const [user] = fixture.rows.users.filter((row) => row.role === 'user');
    await expect(
      db.query(
        `INSERT INTO scraping_batch_stats (user_id, name, total) VALUES ($1, 'pela visão', 0) RETURNING id`,
        [user!.id],
      ),
    ).resolves.toHaveLength(1);
    const [row] = await db.query<{ kind: string }>(
      "SELECT kind FROM scraping_tasks WHERE name = 'pela visão'",
    );
    expect(row?.kind).toBe('batch');
    await db.query("DELETE FROM scraping_batch_stats WHERE name = 'pela visão'");
    await expect(
      db.query(`UPDATE scraping_batch_stats SET state = 'failed' WHERE id = $1`, [
        fixture.rows.scrape_requests[0]!.id,
      ]),
    ).resolves.toEqual([]);
  });

  it('reverts to the old tables with every row as it was', async () => {
    const source = await new DataSource(
      buildDataSourceOptions({ DATABASE_URL: db.url, DATABASE_POOL_SIZE: 2 }),
    ).initialize();
    try {
      // Later migrations first, then this one.
      while ((await lastApplied(source)) > UNIFY) await source.undoLastMigration();
      expect(await lastApplied(source)).toBe(UNIFY);
      await source.undoLastMigration();
      expect(await lastApplied(source)).toBe(UNIFY - 1);
    } finally {
      await source.destroy();
    }
    const tables = await db.query<{ tablename: string }>(
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'scrap%' ORDER BY 1",
    );
    expect(tables.map((row) => row.tablename)).toEqual(
      expect.arrayContaining(['scrape_requests', 'scraping_batch_items', 'scraping_batch_stats']),
    );
    for (const table of OLD_TABLES.slice(2))
      expect(byId(await rowsOf(db, table))).toEqual(byId(fixture.rows[table]));
  });
});

/** Index in `migrations` of the last migration applied. */
async function lastApplied(source: DataSource): Promise<number> {
  const [last] = await source.query<Array<{ name: string }>>(
    'SELECT name FROM typeorm_migrations ORDER BY id DESC LIMIT 1',
  );
  return migrations.findIndex((migration) => migration.name === last?.name);
}
