import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertConditionsService } from '../../src/admin/alerts/alert-conditions.service.js';
import { profileVariant } from '../support/profile-variant.js';
import {
  startTestSimulator,
  targetEnv,
  truthOf,
  type RunningSimulator,
} from '../support/simulator.js';
import { waitForTask } from '../support/tasks.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { uniqueRedisPrefix } from '../support/test-redis.js';

const PROFILE_A = 'profiles/erp-simulator.json';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const ERP_PASSWORD = 'senha-do-erp-2026';

interface BatchItemResult {
  os_number: string;
  outcome: string;
  error?: string;
  path?: string;
  attempts?: number;
  snapshot?: string;
}

/**
 * Failure snapshots, the `forbidden` outcome and the layout-drift alert, end to end: the
 * simulator, the whole service (API, worker, maintenance) on real PostgreSQL, Redis and Chromium.
 * One database across three boots, each with a different profile, as an operator would edit it.
 */
describe('failure snapshots, forbidden and layout drift', () => {
  let sim: RunningSimulator;
  let db: TestDatabase;
  let app: TestApp | undefined;
  /** OS that exist and show a phone number (the field the drift test breaks). */
  const withPhone: string[] = [];
  let missing = '';
  const redisPrefix = uniqueRedisPrefix('snapshots');

  const boot = async (profile: string, env: Record<string, string> = {}) => {
    await app?.stop();
    app = await startTestApp({
      database: db,
      env: {
        ...targetEnv(sim),
        TARGET_PROFILE: profile,
        TARGET_PASSWORD: ERP_PASSWORD,
        TARGET_MAX_RPS: '0',
        RATE_LIMIT_BATCHES_PER_HOUR: '1000',
        ALERT_LAYOUT_DRIFT_WINDOW: '5',
        REDIS_PREFIX: redisPrefix,
        ...env,
      },
    });
    return app;
  };

  const runBatch = async (t: TestApp, osNumbers: string[]) => {
    const user = await t.createUser();
    const accepted = await t
      .http()
      .post('/api/desenvolvimento/scraping-batch')
      .set('Authorization', `Bearer ${user.token}`)
      .send({ os_numbers: osNumbers })
      .expect(202);
    const status = await waitForTask(
      t,
      user.token,
      `/api/desenvolvimento/scraping-batch-status/${accepted.body.task_id}`,
      240_000,
    );
    return {
      user,
      status: status as Record<string, unknown> & { result: { items: BatchItemResult[] } },
    };
  };

  beforeAll(async () => {
    sim = await startTestSimulator({ layout: 'a', password: ERP_PASSWORD });
    db = await createTestDatabase('snapshots');
    for (let n = 2000; withPhone.length < 10 || !missing; n++) {
      const truth = await truthOf(sim, String(n));
      if (!truth) missing ||= String(n);
      else if (truth.contato_telefone && withPhone.length < 10) withPhone.push(String(n));
    }
  });
  afterAll(async () => {
    await app?.close();
    await sim?.close();
  });

  it('a selector typo in an optional field raises a layout-drift alert naming target, field and selector', async () => {
    let t = await boot(PROFILE_A);
    const good = await runBatch(t, withPhone.slice(0, 5));
    expect(good.status.succeeded).toBe(5);
    const conditions = () => t.app.get(AlertConditionsService).layoutDrift();
    expect((await conditions()).filter((c) => c.subject.endsWith(':contato_telefone'))).toEqual([]);

    t = await boot(
      profileVariant(PROFILE_A, (profile) => {
        profile.fields.find((f: { name: string }) => f.name === 'contato_telefone').selector =
          '#cli_fnoe';
      }),
    );
    const broken = await runBatch(t, withPhone.slice(5, 10));
    // The OS still "succeed": the field is optional, so only the drift check can tell.
    expect(broken.status.succeeded).toBe(5);
    const drift = (await conditions()).find(
      (c) => c.subject === 'erp-simulator-a:contato_telefone',
    );
    expect(drift).toMatchObject({ rule: 'layout_drift', value: 100, threshold: 50 });
    expect(drift!.message).toBe(
      'Layout do ERP erp-simulator-a mudou? O campo contato_telefone (selector "#cli_fnoe") veio vazio em 5 das últimas 5 OS; antes preenchido em 100%',
    );
    // Through the maintenance task, the alert is stored and shown to admins.
    const admin = { Authorization: `Bearer ${await t.adminToken()}` };
    await t.http().post('/api/admin/scraping/maintenance/evaluate-alerts').set(admin).expect(202);
    await expect
      .poll(
        async () =>
          (
            await db.query<{ rule: string }>(
              "SELECT rule FROM scraping_alerts WHERE state = 'open' AND subject = 'erp-simulator-a:contato_telefone'",
            )
          ).map((row) => row.rule),
        { timeout: 30_000, interval: 250 },
      )
      .toEqual(['layout_drift']);
  });

  it('an OS failed on every path keeps its page and screenshot, linked from the batch result for admins only', async () => {
    const t = await boot(
      profileVariant(PROFILE_A, (profile) => {
        profile.fields.find((f: { name: string }) => f.name === 'cliente_nome').selector =
          '#cli_nmoe';
        // The simulator's "not found" page stands in for an ERP's "access denied" page.
        profile.forbidden = { selectors: ['#os-nao-encontrada'] };
      }),
    );
    const target = withPhone[0]!;
    const { user, status } = await runBatch(t, [target, missing]);
    expect(status).toMatchObject({ failed: 1, forbidden: 1, not_found: 0 });
    const items = new Map(status.result.items.map((item) => [item.os_number, item]));
    expect(items.get(missing)).toMatchObject({ outcome: 'forbidden', attempts: 1 });
    expect(items.get(missing)!.snapshot).toBeUndefined();
    const failed = items.get(target)!;
    expect(failed).toMatchObject({ outcome: 'failed', path: 'robust' });
    expect(failed.error).toMatch(/^incomplete: required fields missing: cliente_nome/);
    expect(failed.snapshot).toMatch(/^\/api\/admin\/scraping\/snapshots\/[0-9a-f-]{36}$/);

    const admin = { Authorization: `Bearer ${await t.adminToken()}` };
    const details = await t.http().get(failed.snapshot!).set(admin).expect(200);
    expect(details.body).toMatchObject({
      os_number: target,
      path: 'robust',
      error_code: 'incomplete',
      html_truncated: false,
      html_url: `${failed.snapshot}/html`,
      screenshot_url: `${failed.snapshot}/screenshot`,
      // The extractor's own account of the page, as profile:try prints it.
      diagnostics: {
        kind: 'ok',
        missing: ['cliente_nome'],
        values: expect.arrayContaining([
          expect.objectContaining({
            path: 'cliente_nome',
            how: 'selector "#cli_nmoe"',
            state: 'empty',
            reason: 'matched nothing on the page',
          }),
        ]),
      },
    });
    const html = await t.http().get(`${failed.snapshot}/html`).set(admin).expect(200);
    expect(html.headers['content-type']).toMatch(/^text\/plain/);
    expect(html.headers['content-security-policy']).toContain('sandbox');
    expect(html.text).toContain(String((await truthOf(sim, target))!.cliente_cnpj));
    expect(html.text).not.toContain(ERP_PASSWORD);
    const png = await t
      .http()
      .get(`${failed.snapshot}/screenshot`)
      .set(admin)
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect((png.body as Buffer).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);

    // Users see the link but may not open it; bad ids are named.
    const asUser = { Authorization: `Bearer ${user.token}` };
    await t.http().get(failed.snapshot!).set(asUser).expect(403);
    await t.http().get(`${failed.snapshot}/html`).set(asUser).expect(403);
    await t.http().get(failed.snapshot!).expect(401);
    const bad = await t.http().get('/api/admin/scraping/snapshots/nope').set(admin).expect(400);
    expect(JSON.stringify(bad.body.message)).toContain('id must be a UUID');
    const list = await t.http().get('/api/admin/scraping/snapshots').set(admin).expect(200);
    expect(list.body.items.map((item: { id: string }) => item.id)).toContain(details.body.id);

    // Maintenance's cleanup drops snapshots past SNAPSHOT_RETENTION_DAYS.
    await db.query("UPDATE scrape_snapshots SET created_at = now() - interval '15 days'");
    await t.http().post('/api/admin/scraping/maintenance/clean-jobs').set(admin).expect(202);
    await expect
      .poll(async () => (await db.query('SELECT id FROM scrape_snapshots')).length, {
        timeout: 30_000,
        interval: 250,
      })
      .toBe(0);
    await t.http().get(failed.snapshot!).set(admin).expect(404);
  });
});
