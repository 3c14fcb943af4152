import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractOrder } from '../../src/scraping/extractor/order-extractor.js';
import { browserPageContext } from '../../src/scraping/paths/browser-page-context.js';
import { validateProfile } from '../../src/scraping/profile/profile-validator.js';
import type { TargetProfile } from '../../src/scraping/profile/target-profile.js';
import { legacyPage, legacyProfileJson } from '../fixtures/pages/legacy-formats/legacy-pages.js';
import { launchChromium } from '../support/chromium.js';

/**
 * The extractor reads a page the same way on both paths: the HTTP path hands it the served HTML
 * with status and URL, the browser path Chromium's `page.content()` with the document's status
 * and URL. Checked on real Chromium with the format keys of older systems.
 */
describe('the new format keys on the browser path, as on the HTTP path', () => {
  let server: Server;
  let base: string;
  let browser: Browser;
  let profile: TargetProfile;

  const pages: Record<string, { status: number; body: string }> = {
    '/os/1': { status: 200, body: legacyPage('grid.page') },
    '/os/2': { status: 200, body: legacyPage('embedded.page') },
    '/os/3': { status: 403, body: '<html><body><h1>Acesso negado</h1></body></html>' },
    '/os/4': { status: 404, body: '<html><body><h1>Erro</h1></body></html>' },
    '/login': { status: 200, body: '<html><body><p>Entre</p></body></html>' },
  };

  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === '/os/5') {
        response.writeHead(302, { Location: '/login' }).end();
        return;
      }
      const page = pages[request.url ?? ''] ?? { status: 404, body: 'nada' };
      response.writeHead(page.status, { 'Content-Type': 'text/html; charset=utf-8' });
      response.end(page.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    const { profile: valid, errors } = validateProfile(
      legacyProfileJson({
        fields: [
          { name: 'cliente', label: 'Cliente', type: 'string' },
          { name: 'setor', label: 'Setor', type: 'string' },
          { name: 'abertura', label: 'Abertura', type: 'date', format: 'dd/MM/yyyy HH:mm' },
          { name: 'defeito', selector: '#defeito', type: 'string', text_mode: 'lines' },
          { name: 'situacao', script: { variable: 'osData', path: 'situacao' }, type: 'string' },
          {
            name: 'nome',
            script: { selector: '#dados-os', path: 'os.cliente.nome' },
            type: 'string',
          },
        ],
      }),
    );
    expect(errors).toEqual([]);
    profile = valid!;
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  async function bothPaths(path: string) {
    const served = await fetch(`${base}${path}`);
    const http = extractOrder(
      await served.text(),
      profile,
      {},
      { status: served.status, url: served.url },
    );
    const page = await browser.newPage({ javaScriptEnabled: true });
    try {
      await page.goto(`${base}${path}`);
      const inBrowser = extractOrder(
        await page.content(),
        profile,
        {},
        await browserPageContext(page),
      );
      return { http, inBrowser };
    } finally {
      await page.close();
    }
  }

  it('label grids, list markers, dates with a format and script data read the same', async () => {
    for (const path of ['/os/1', '/os/2']) {
      const { http, inBrowser } = await bothPaths(path);
      expect(http.kind).toBe('ok');
      expect(inBrowser).toEqual(http);
    }
    const { http } = await bothPaths('/os/1');
    expect(http).toMatchObject({
      data: {
        cliente: 'Padaria Pão & Mel ME',
        setor: 'Campo',
        abertura: '2025-02-03T14:20',
        defeito: expect.stringContaining('- Trocar fusível\n- Testar bobina\n1. Primeiro'),
      },
    });
    expect((await bothPaths('/os/2')).http).toMatchObject({
      data: { situacao: 'Concluída', nome: "Metalúrgica D'Ávila Ltda." },
    });
  });

  it('403 is forbidden, 404 not found, a redirect to the login URL an ended session, on both', async () => {
    expect(await bothPaths('/os/3')).toEqual({
      http: { kind: 'forbidden' },
      inBrowser: { kind: 'forbidden' },
    });
    expect(await bothPaths('/os/4')).toEqual({
      http: { kind: 'not_found' },
      inBrowser: { kind: 'not_found' },
    });
    expect(await bothPaths('/os/5')).toEqual({
      http: { kind: 'session_expired' },
      inBrowser: { kind: 'session_expired' },
    });
  });
});
