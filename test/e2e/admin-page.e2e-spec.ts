import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { type Browser, type Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueName } from '../../src/queues/queue-names.js';
import { launchChromium } from '../support/chromium.js';
import { ADMIN, startTestApp, type TestApp } from '../support/test-app.js';
import { insertUsage, localTime, type UsageRow } from '../support/usage-rows.js';

const SCREENSHOT = resolve(import.meta.dirname, '../../test-artifacts/admin-page.png');
const ALERT_MESSAGE = 'Fila scraping_batch com muitas tarefas pendentes: 64 (limite 50)';

const integer = new Intl.NumberFormat('pt-BR');
const oneDecimal = new Intl.NumberFormat('pt-BR', { maximumFractionDigits: 1 });
const threeDecimals = new Intl.NumberFormat('pt-BR', { maximumFractionDigits: 3 });

/** A month of plausible use for three users: mostly fast-path successes, a few of everything else. */
function usage(userIds: string[]): UsageRow[] {
  const rows: UsageRow[] = [];
  let seed = 7;
  const next = () => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647;
  for (let daysAgo = 0; daysAgo < 30; daysAgo += 1) {
    const count = 4 + ((daysAgo * 7) % 11);
    for (let i = 0; i < count; i += 1) {
      const roll = next();
      const outcome = roll < 0.86 ? 'success' : roll < 0.94 ? 'not_found' : 'failed';
      const pathRoll = next();
      const path = pathRoll < 0.85 ? 'http' : pathRoll < 0.97 ? 'browser' : 'robust';
      const base = { http: 250, browser: 2_500, robust: 9_000 }[path];
      rows.push({
        userId: userIds[Math.floor(next() * next() * userIds.length)]!,
        osNumber: String(1000 + Math.floor(next() * 40) * 37),
        outcome,
        path,
        attempts: outcome === 'failed' ? 3 : next() < 0.1 ? 2 : 1,
        durationMs: Math.round(base * (0.6 + next())),
        at: localTime(daysAgo, 8 + Math.floor(next() * 11), Math.floor(next() * 60)),
      });
    }
  }
  // Today's rows only up to now: nothing happened later than the screenshot.
  return rows.filter((row) => row.at.getTime() < Date.now() - 60_000);
}

/** A page on another port of 127.0.0.1 whose form posts itself, as text, to `target`. */
async function attackerSite(target: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((_request, response) => {
    response.setHeader('Content-Type', 'text/html');
    response.end(
      `<form method="post" enctype="text/plain" action="${target}">` +
        `<input name='{"name":"clean-jobs","data":{},"x":"' value='"}'></form>` +
        '<script>document.forms[0].submit()</script>',
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

async function signIn(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(`${url}/admin`);
  await page.fill('#login-form input[name="username"]', username);
  await page.fill('#login-form input[name="password"]', password);
  await page.click('#login-form button[type="submit"]');
}

describe('admin page in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let adminToken: string;

  beforeAll(async () => {
    // The alert below is inserted by hand; the scheduler's evaluate-alerts would resolve it at the
    // next minute (no real backlog), so this file runs without the crons.
    t = await startTestApp({ listen: true, crons: false });
    adminToken = await t.adminToken();
    const ids: string[] = [];
    for (const username of ['maria.souza', 'joao.lima']) {
      const response = await t
        .http()
        .post('/api/admin/users')
        .set('Authorization', `Bearer ${adminToken}`)
        .send({ username, password: 'senha-de-teste-123', role: 'user' });
      expect(response.status).toBe(201);
      ids.push(response.body.id as string);
    }
    const [admin] = await t.db.query<{ id: string }>(`SELECT id FROM users WHERE username = $1`, [
      ADMIN.username,
    ]);
    await insertUsage(t.db, usage([...ids, admin!.id]));
    await t.db.query(
      `INSERT INTO scraping_alerts (rule, subject, severity, message, value, threshold)
       VALUES ('queue_backlog', 'scraping_batch', 'warning', $1, 64, 50)`,
      [ALERT_MESSAGE],
    );
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('logs an admin in and shows the figures of the dashboard API, both charts, queues and alerts', async () => {
    const dashboard = async () =>
      (
        await t
          .http()
          .get('/api/admin/scraping/dashboard?days=30')
          .set('Authorization', `Bearer ${adminToken}`)
      ).body.dashboard_data;
    // The app (role `all`) shows up as a worker once its heartbeat has published it.
    await expect
      .poll(async () => (await dashboard()).filas.workers.length, { timeout: 15_000 })
      .toBe(1);
    const expected = await dashboard();
    const general = expected.estatisticas_gerais;
    expect(general.total).toBeGreaterThan(100);

    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });
    page.on('pageerror', (error) => problems.push(error.message));

    await signIn(page, t.url, ADMIN.username, ADMIN.password);
    await page.waitForSelector('[data-figure="total"][data-value]');

    const cards = await page.$$eval('[data-figure]', (elements) =>
      Object.fromEntries(
        elements.map((element) => [
          (element as HTMLElement).dataset.figure,
          { text: element.textContent, value: (element as HTMLElement).dataset.value },
        ]),
      ),
    );
    expect(cards).toEqual({
      total: { text: integer.format(general.total), value: String(general.total) },
      sucessos: { text: integer.format(general.sucessos), value: String(general.sucessos) },
      falhas: { text: integer.format(general.falhas), value: String(general.falhas) },
      nao_encontradas: {
        text: integer.format(general.nao_encontradas),
        value: String(general.nao_encontradas),
      },
      success_rate: {
        text: `${oneDecimal.format(general.success_rate)} %`,
        value: String(general.success_rate),
      },
      avg_processing_time: {
        text: `${threeDecimals.format(general.avg_processing_time)} s`,
        value: String(general.avg_processing_time),
      },
    });

    // Both charts exist as Chart.js instances over the API's series, and painted something.
    const charts = await page.evaluate(() => {
      const chartJs = (window as unknown as { Chart: ChartStatic }).Chart;
      return ['#chart-day', '#chart-hour'].map((selector) => {
        const canvas = document.querySelector<HTMLCanvasElement>(selector)!;
        const chart = chartJs.getChart(canvas);
        const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
        let painted = 0;
        for (let i = 3; i < pixels.data.length; i += 4) if (pixels.data[i]! > 0) painted += 1;
        return chart
          ? {
              labels: chart.data.labels.length,
              total: chart.data.datasets.flatMap((set) => set.data).reduce((a, b) => a + b, 0),
              painted,
            }
          : null;
      });
    });
    expect(charts).toEqual([
      { labels: expected.uso_por_dia.length, total: general.total, painted: expect.any(Number) },
      { labels: 24, total: general.total, painted: expect.any(Number) },
    ]);
    for (const chart of charts) expect(chart!.painted).toBeGreaterThan(1_000);

    // Top users and OS, live queues and workers, the open alert, performance.
    expect(await page.locator('#top-users tbody tr').count()).toBe(
      expected.usuarios_mais_ativos.length,
    );
    await expect
      .poll(() => page.locator('#top-users tbody').textContent(), { timeout: 10_000 })
      .toContain('maria.souza');
    expect(await page.locator('#top-os tbody tr').count()).toBe(expected.top_os.length);
    const queues = await page.locator('#queues tbody tr').allTextContents();
    expect(queues).toHaveLength(3);
    expect(queues.join(' ')).toContain('scraping_batch');
    const workerRows = await page.locator('#workers tbody tr').allTextContents();
    expect(workerRows).toEqual([expect.stringContaining(`pid ${process.pid}`)]);
    expect(await page.locator('#alerts').textContent()).toContain(ALERT_MESSAGE);
    expect(await page.locator('[data-perf="p95_ms"]').getAttribute('data-value')).toBe(
      String(expected.performance.p95_ms),
    );

    await mkdir(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    // Helmet's CSP let everything run: no blocked script, no script error.
    expect(problems).toEqual([]);

    // The login cookie opens the queue board in the same browser.
    const board = await context.newPage();
    const response = await board.goto(`${t.url}/admin/queues`);
    expect(response?.status()).toBe(200);
    expect(await board.title()).toBe('RegistroOS · filas');
    await board.getByText('scraping_batch').first().waitFor();

    // The board's own changes still work: its script's requests carry no custom header, only
    // what Chromium adds itself (Origin, Sec-Fetch-Site: same-origin).
    const scraping = t.app.get<Queue>(getQueueToken(QueueName.Scraping));
    const boardRequest = (path: string, method: string) =>
      board.evaluate(
        async ([url, verb]) => (await fetch(url!, { method: verb })).status,
        [path, method],
      );
    expect(await boardRequest('api/queues/scraping/pause', 'PUT')).toBe(200);
    expect(await scraping.isPaused()).toBe(true);
    expect(await boardRequest('api/queues/scraping/resume', 'PUT')).toBe(200);
    expect(await scraping.isPaused()).toBe(false);

    // A page on another port of this host is same-site, so Chromium sends the SameSite=Strict
    // cookie with its form; the board refuses it (403) and adds no job.
    const maintenance = t.app.get<Queue>(getQueueToken(QueueName.Maintenance));
    const jobsBefore = await maintenance.getJobCounts();
    const attacker = await attackerSite(`${t.url}/admin/queues/api/queues/maintenance/add`);
    try {
      const evil = await context.newPage();
      const [refused] = await Promise.all([
        evil.waitForResponse((r) => r.url().endsWith('/maintenance/add')),
        evil.goto(attacker.url),
      ]);
      expect(refused.status()).toBe(403);
      expect(await refused.request().headerValue('cookie')).toMatch(/ros_admin_session=/);
      await evil.close();
    } finally {
      await attacker.close();
    }
    expect(await maintenance.getJobCounts()).toEqual(jobsBefore);

    // Logging out ends the session on the server: the board refuses the browser again, and
    // the old cookie replayed by hand gets 401 too.
    const [oldCookie] = await context.cookies(`${t.url}/admin`);
    expect(oldCookie?.name).toBe('ros_admin_session');
    const pageToken = await page.evaluate(() => sessionStorage.getItem('registro-os.admin.token'));
    expect(pageToken).toBeTruthy();
    await page.click('#logout');
    await page.waitForSelector('#login-form', { state: 'visible' });
    expect((await board.goto(`${t.url}/admin/queues`))?.status()).toBe(401);
    const replay = await t
      .http()
      .get('/admin/queues/api/queues')
      .set('Cookie', `${oldCookie!.name}=${oldCookie!.value}`);
    expect(replay.status).toBe(401);
    // Logout revoked the page's bearer token as well.
    const revoked = await t
      .http()
      .get('/api/admin/users')
      .set('Authorization', `Bearer ${pageToken}`);
    expect(revoked.status).toBe(401);
    expect(revoked.body.message).toBe('token has been revoked');
    await context.close();
  });

  it('refreshes by itself', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, t.url, ADMIN.username, ADMIN.password);
    await page.waitForSelector('[data-figure="total"][data-value]');
    const before = Number(await page.getAttribute('[data-figure="total"]', 'data-value'));
    const [admin] = await t.db.query<{ id: string }>(`SELECT id FROM users WHERE username = $1`, [
      ADMIN.username,
    ]);
    await insertUsage(t.db, [
      {
        userId: admin!.id,
        osNumber: '4242',
        outcome: 'success',
        path: 'http',
        attempts: 1,
        durationMs: 300,
        at: new Date(),
      },
    ]);
    await expect
      .poll(() => page.getAttribute('[data-figure="total"]', 'data-value'), { timeout: 15_000 })
      .toBe(String(before + 1));
    await context.close();
  });

  it('turns a user away at login', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, t.url, 'maria.souza', 'senha-de-teste-123');
    await expect
      .poll(() => page.locator('#login-error').textContent(), { timeout: 10_000 })
      .toBe('Este usuário não é administrador.');
    expect(await page.locator('#dashboard-view').isHidden()).toBe(true);
    expect(await context.cookies()).toEqual([]);
    await context.close();
  });
});

/** The part of Chart.js the test reads in the page. */
interface ChartStatic {
  getChart(
    canvas: HTMLCanvasElement,
  ): { data: { labels: unknown[]; datasets: Array<{ data: number[] }> } } | undefined;
}
