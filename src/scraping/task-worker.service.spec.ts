import 'reflect-metadata';
import { Test, type TestingModule } from '@nestjs/testing';
import { getRepositoryToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.js';
import { MetricsRegistry } from '../common/metrics-registry.js';
import { AppConfig } from '../config/app-config.js';
import { loadConfig } from '../config/load-config.js';
import { buildDataSourceOptions } from '../database/data-source-options.js';
import { runMigrationsLocked } from '../database/run-migrations.js';
import { ShutdownCoordinator } from '../lifecycle/shutdown-coordinator.service.js';
import { ShutdownInterruption } from '../lifecycle/shutdown-interruption.js';
import { ScrapingUsage } from '../stats/entities/scraping-usage.entity.js';
import { UsageRecorder } from '../stats/usage-recorder.service.js';
import { ScrapedOrder } from './entities/scraped-order.entity.js';
import { ScrapingTask } from './entities/scraping-task.entity.js';
import { TaskItem } from './entities/task-item.entity.js';
import { OsScraperService } from './os-scraper.service.js';
import type { TargetProfile } from './profile/target-profile.js';
import { ScrapeError } from './scrape-errors.js';
import { ScrapeMetrics } from './scrape-metrics.service.js';
import { ScrapeOutcomeWriter, type TaskItemRef } from './scrape-outcome.writer.js';
import type { ScrapeResult } from './scrape-result.js';
import { ScrapedOrdersService } from './scraped-orders.service.js';
import { FailureSnapshots } from './snapshots/failure-snapshots.service.js';
import { ScrapeSnapshot } from './snapshots/scrape-snapshot.entity.js';
import { TargetDefinition } from './target/target-definition.js';
import { TaskStore } from './task-store.service.js';
import { TaskWorker, type WorkItem } from './task-worker.service.js';

const USER = '00000000-0000-4000-8000-000000000001';

/** A scraper whose reads end when the test says so, counting how many are in flight at once. */
class GatedScraper {
  inFlight = 0;
  maxInFlight = 0;
  cancelNext = false;

  scrape(osNumber: string): Promise<ScrapeResult> {
    if (this.cancelNext) {
      this.cancelNext = false;
      return Promise.reject(new ScrapeError('cancelled', 'shutting down', false));
    }
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    // Settles on a later turn, so the loop can fill its window before any read ends.
    return new Promise((resolve) =>
      setImmediate(() => {
        this.inFlight -= 1;
        resolve(resultOf(osNumber));
      }),
    );
  }
}

function resultOf(osNumber: string, outcome: ScrapeResult['outcome'] = 'success'): ScrapeResult {
  return {
    osNumber,
    outcome,
    path: 'http',
    attempts: 2,
    durationMs: 40,
    ...(outcome === 'success' ? { data: { numero: osNumber } } : {}),
  };
}

// The one worker loop and the one outcome transaction, on a real PostgreSQL database; only the
// reading of the target is stood in for.
describe('TaskWorker and ScrapeOutcomeWriter: window and claim', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let module: TestingModule;
  let tasks: TaskStore;
  let worker: TaskWorker;
  let writer: ScrapeOutcomeWriter;
  const scraper = new GatedScraper();

  beforeAll(async () => {
    db = await createTestDatabase('unit_task_worker');
    dataSource = await new DataSource({
      ...buildDataSourceOptions({ DATABASE_URL: db.url, DATABASE_POOL_SIZE: 6 }),
      entities: [ScrapingTask, TaskItem, ScrapingUsage, ScrapedOrder, ScrapeSnapshot],
    }).initialize();
    await runMigrationsLocked(dataSource);
    await dataSource.query(
      `INSERT INTO users (id, username, password_hash, role) VALUES ($1, 'worker-unit', 'x', 'user')`,
      [USER],
    );
    // Subscribed, so each end of a batch leaves one outbox row to count.
    await dataSource.query(
      `INSERT INTO webhooks (user_id, url, events, secret)
       VALUES ($1, 'https://hooks.test/x', '{batch.completed,batch.failed}', 's')`,
      [USER],
    );
    const profile = { base_url: 'http://target.test', os_number_pattern: '^\\d+$' };
    module = await Test.createTestingModule({
      providers: [
        TaskWorker,
        TaskStore,
        ScrapeOutcomeWriter,
        ScrapedOrdersService,
        UsageRecorder,
        ScrapeMetrics,
        MetricsRegistry,
        ShutdownCoordinator,
        FailureSnapshots,
        { provide: AppConfig, useValue: loadConfig({ SNAPSHOT_MAX_HTML_BYTES: '0' }) },
        {
          provide: TargetDefinition,
          useValue: new TargetDefinition(profile as TargetProfile, undefined, undefined),
        },
        { provide: DataSource, useValue: dataSource },
        { provide: OsScraperService, useValue: scraper },
        ...[ScrapingTask, TaskItem, ScrapedOrder, ScrapeSnapshot].map((entity) => ({
          provide: getRepositoryToken(entity),
          useValue: dataSource.getRepository(entity),
        })),
      ],
    }).compile();
    tasks = module.get(TaskStore);
    worker = module.get(TaskWorker);
    writer = module.get(ScrapeOutcomeWriter);
  });

  afterAll(async () => {
    await module?.close();
    await dataSource?.destroy();
    await db?.drop();
  });

  async function newTask(
    task: Parameters<TaskStore['create']>[0],
  ): Promise<{ task: ScrapingTask; items: WorkItem[] }> {
    const created = await tasks.create(task);
    const rows = await tasks.itemsOf(created.id);
    return {
      task: created,
      items: rows.map((row) => ({
        osNumber: row.osNumber,
        ref: { kind: created.kind, taskId: created.id, itemId: row.id, userId: USER },
      })),
    };
  }

  async function newBatch(count: number): Promise<{ batch: ScrapingTask; items: WorkItem[] }> {
    const osNumbers = Array.from({ length: count }, (_, i) => String(5000 + i));
    const { task, items } = await newTask({
      kind: 'batch',
      userId: USER,
      name: 'unit',
      osNumbers,
      idempotencyKey: null,
    });
    return { batch: task, items };
  }

  const taskRow = (id: string) => dataSource.getRepository(ScrapingTask).findOneByOrFail({ id });
  const webhookEvents = async (taskId: string) =>
    Number(
      (
        await dataSource.query<Array<{ n: string }>>(
          "SELECT count(*) AS n FROM webhook_deliveries WHERE payload -> 'data' ->> 'task_id' = $1",
          [taskId],
        )
      )[0]!.n,
    );

  const usageRows = async (osNumber: string) =>
    Number(
      (
        await dataSource.query<Array<{ n: string }>>(
          'SELECT count(*) AS n FROM scraping_usage_stats WHERE os_number = $1',
          [osNumber],
        )
      )[0]!.n,
    );

  it('claims an outcome once: a second write of the same item records nothing', async () => {
    const { batch, items } = await newBatch(1);
    const ref = items[0]!.ref;
    expect(await writer.write(resultOf('5000'), ref)).toBe(true);
    expect(await writer.write(resultOf('5000', 'failed'), ref)).toBe(false);
    expect(await taskRow(batch.id)).toMatchObject({
      processed: 1,
      succeeded: 1,
      failed: 0,
      retries: 1,
      pathHttp: 1,
    });
    expect(await usageRows('5000')).toBe(1);
  });

  it('lets exactly one of two racing writes of one item win', async () => {
    const { task, items } = await newTask({ kind: 'single', userId: USER, osNumber: '6001' });
    const ref: TaskItemRef = items[0]!.ref;
    const wins = await Promise.all([
      writer.write(resultOf('6001'), ref),
      writer.write(resultOf('6001', 'not_found'), ref),
    ]);
    expect(wins.filter(Boolean)).toHaveLength(1);
    const stored = await tasks.find('single', task.id);
    expect(stored?.state).toBe('completed');
    expect(stored?.processed).toBe(1);
    expect(await usageRows('6001')).toBe(1);
  });

  it('runs a batch through a window of its size, and every item ends once', async () => {
    const { batch, items } = await newBatch(7);
    const pending = [...items];
    scraper.maxInFlight = 0;
    let outcomes = 0;
    await worker.run({
      window: 3,
      take: (free) => Promise.resolve(pending.splice(0, free)),
      onOutcome: (_item, _result, recorded) => {
        if (recorded) outcomes += 1;
        return Promise.resolve();
      },
    });
    expect(scraper.maxInFlight).toBe(3);
    expect(outcomes).toBe(7);
    // The last outcome closed it, in its own transaction; closing again changes nothing.
    const closed = await taskRow(batch.id);
    expect(closed).toMatchObject({ state: 'completed', processed: 7, succeeded: 7 });
    expect(closed.finishedAt).not.toBeNull();
    await writer.close(batch.id);
    expect((await taskRow(batch.id)).finishedAt).toEqual(closed.finishedAt);
    expect(await webhookEvents(batch.id)).toBe(1);
  });

  it('closes a batch whose last items end at once, whichever commits last', async () => {
    const { batch, items } = await newBatch(4);
    await Promise.all(items.map((item) => writer.write(resultOf(item.osNumber), item.ref)));
    expect(await taskRow(batch.id)).toMatchObject({ state: 'completed', processed: 4 });
    expect(await webhookEvents(batch.id)).toBe(1);
  });

  it('leaves a task open while one of its items is', async () => {
    const { batch, items } = await newBatch(2);
    await writer.write(resultOf(items[0]!.osNumber), items[0]!.ref);
    await writer.close(batch.id);
    expect(await taskRow(batch.id)).toMatchObject({ state: 'queued', finishedAt: null });
  });

  it('ends a single OS whose read failed as a failed task, with its figures', async () => {
    const { task, items } = await newTask({ kind: 'single', userId: USER, osNumber: '6003' });
    await writer.write(resultOf('6003', 'failed'), items[0]!.ref);
    const row = await taskRow(task.id);
    expect(row).toMatchObject({ state: 'failed', processed: 1, failed: 1, avgDurationMs: 40 });
    expect((await tasks.figures(row)).items).toEqual([
      { os_number: '6003', outcome: 'failed', path: 'http', duration_ms: 40, attempts: 2 },
    ]);
    expect(await webhookEvents(task.id)).toBe(0);
  });

  it('runs a single OS as a task of one item with a window of one', async () => {
    const { task, items } = await newTask({ kind: 'single', userId: USER, osNumber: '6002' });
    expect(await tasks.start('single', task.id)).toBe(true);
    expect(await tasks.start('batch', task.id)).toBe(false);
    scraper.maxInFlight = 0;
    await worker.run({
      window: 1,
      take: async (free) =>
        (await tasks.takePending(task.id, free)).map((row) => ({
          osNumber: row.osNumber,
          ref: { ...items[0]!.ref, itemId: row.id },
        })),
    });
    expect(scraper.maxInFlight).toBe(1);
    expect(await tasks.find('single', task.id)).toMatchObject({ state: 'completed', runs: 1 });
    expect(await tasks.itemsOf(task.id)).toMatchObject([
      { osNumber: '6002', status: 'success', attempts: 2 },
    ]);
    expect(await tasks.start('single', task.id)).toBe(false);
  });

  it('gives an item cut short by shutdown back and stops with ShutdownInterruption', async () => {
    const { items } = await newBatch(2);
    const pending = [...items];
    const released: string[] = [];
    scraper.cancelNext = true;
    await expect(
      worker.run({
        window: 1,
        take: (free) => Promise.resolve(pending.splice(0, free)),
        release: (item) => {
          released.push(item.osNumber);
          return Promise.resolve();
        },
      }),
    ).rejects.toBeInstanceOf(ShutdownInterruption);
    expect(released).toEqual([items[0]!.osNumber]);
    // Nothing after the interrupted item was started.
    expect(pending).toHaveLength(1);
  });
});
