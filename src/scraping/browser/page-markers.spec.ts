import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../test/support/chromium.js';
import { firstNode, loadDocument } from '../extractor/html-document.js';
import { flatText } from '../extractor/text-normalizer.js';
import { lookAt, markerOf, watchPage, type PageMarker } from './page-markers.js';

// Pages a real Chromium shows, served over HTTP so that a script can navigate between them.
const PAGES: Record<string, string> = {
  '/form': '<form><input name="n"></form><p class="hint">Digite o número</p>',
  '/result': '<div id="grid"><a href="/os/1">OS 1</a></div>',
  '/legacy':
    '<script>Array.prototype.some = function () { return false; };' +
    'Array.prototype.map = function () { return []; };</script>' +
    '<p>Nenhum   registro\n   encontrado</p><span class="aviso">!</span>',
  // Text patterns see what the HTTP path's classifier sees: text nodes apart, no script text.
  '/split': '<p><b>Nenhum</b><i>registro</i>&nbsp; encontrado</p>',
  '/hidden':
    '<script>var m = "Nenhum registro encontrado";</script>' +
    '<style>p::after { content: "Nenhum registro encontrado"; }</style>' +
    '<noscript>Nenhum registro encontrado</noscript><p>OS 1</p>',
};
const page$ = (path: string) =>
  `<!doctype html><html><body>${PAGES[path] ?? 'no such page'}</body></html>`;

const markers: PageMarker[] = [
  markerOf('not_found', { selectors: ['.nada'], text_patterns: ['nenhum registro encontrado'] }),
  markerOf('result', { selectors: ['#grid a'] }),
  markerOf('warning', { selectors: ['div[', '.aviso'] }),
  markerOf('on_result_url', { url_pattern: '/result$' }),
];

let server: Server;
let origin: string;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = createServer((request, response) => {
    const path = request.url ?? '';
    response.writeHead(PAGES[path] ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
    response.end(page$(path));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

beforeEach(async () => {
  page = await browser.newPage();
});

afterEach(async () => {
  await page.close();
});

describe('lookAt', () => {
  it('tests selectors, text patterns (case and spacing aside) and the URL inside the page', async () => {
    await page.goto(`${origin}/legacy`);
    const seen = await lookAt(page, markers);
    // The page breaks Array.prototype.some and map: the look does not lean on them.
    expect([...seen.present].sort()).toEqual(['not_found', 'warning']);
    await page.goto(`${origin}/result`);
    expect([...(await lookAt(page, markers)).present].sort()).toEqual(['on_result_url', 'result']);
  });

  it('judges text patterns on the same text as the HTTP path (text nodes apart, no scripts)', async () => {
    const notFound = markers[0]!;
    for (const path of ['/split', '/hidden', '/legacy']) {
      await page.goto(`${origin}${path}`);
      const inPage = (await lookAt(page, [notFound])).present.has('not_found');
      const body = firstNode(loadDocument(page$(path))('body'))!;
      const inNode = notFound.texts.some((regex) => regex.test(flatText(body)));
      expect({ path, inPage }).toEqual({ path, inPage: inNode });
      expect(inPage).toBe(path !== '/hidden');
    }
  });

  it('tells a new document from the one it marked', async () => {
    await page.goto(`${origin}/form`);
    const token = 'doc-1';
    expect((await lookAt(page, markers, token, { mark: true })).newDocument).toBe(false);
    expect((await lookAt(page, markers, token)).newDocument).toBe(false);
    await page.goto(`${origin}/result`);
    expect((await lookAt(page, markers, token)).newDocument).toBe(true);
  });
});

describe('watchPage', () => {
  it('follows a script-driven navigation to the marker on the next document', async () => {
    await page.goto(`${origin}/form`);
    const token = 'before-submit';
    await lookAt(page, markers, token, { mark: true });
    await page.evaluate(() => setTimeout(() => (location.href = '/result'), 100));
    const shown = await watchPage(
      page,
      markers,
      10_000,
      (seen) => (seen.newDocument && seen.present.has('result') ? seen.url : null),
      token,
    );
    expect(shown).toBe(`${origin}/result`);
  });

  it('keeps asking a decision that counts time while the page stays the same', async () => {
    await page.goto(`${origin}/form`);
    let looks = 0;
    const decided = await watchPage(page, markers, 10_000, () => (++looks >= 3 ? 'waited' : null));
    expect(decided).toBe('waited');
    expect(looks).toBe(3);
  });

  it('gives null when nothing is decided in time', async () => {
    await page.goto(`${origin}/form`);
    expect(await watchPage(page, markers, 300, () => null)).toBeNull();
  });
});
