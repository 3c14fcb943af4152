import { type Browser, type BrowserContext, type Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startSimulator,
  type PageEncoding,
  type RunningSimulator,
} from '../../demo/erp-simulator/index.js';
import { extractOrder } from '../../src/scraping/extractor/order-extractor.js';
import { isBlockedRequest } from '../../src/scraping/profile/browser-block-rules.js';
import { loadProfile } from '../../src/scraping/profile/profile-loader.js';
import type { TargetProfile } from '../../src/scraping/profile/target-profile.js';
import { PROFILE_FILES } from '../fixtures/pages/page-fixtures.js';
import { launchChromium } from '../support/chromium.js';
import { fetchTruth, type Layout } from './simulator-client.js';

const ORDERS = ['1002', '1038', '1120'];

/** Logs in through the form and opens an OS the way a browser path would, driven by the profile. */
async function openInBrowser(
  page: Page,
  profile: TargetProfile,
  baseUrl: string,
  osNumber: string,
): Promise<void> {
  const login = profile.login;
  await page.goto(`${baseUrl}${login.url}`);
  await page.fill(`${login.form_selector} [name="${login.username_field}"]`, 'demo');
  await page.fill(`${login.form_selector} [name="${login.password_field}"]`, 'demo');
  await Promise.all([
    page.waitForURL(new RegExp(login.success.url_pattern!)),
    page.click(login.submit_selector!),
  ]);
  const lookup = profile.lookup;
  if (lookup.mode === 'url') {
    await page.goto(`${baseUrl}${lookup.url_template.replace('{os_number}', osNumber)}`);
  } else {
    await page.goto(`${baseUrl}${lookup.search_url}`);
    await page.fill(`${lookup.form_selector} [name="${lookup.field}"]`, osNumber);
    await Promise.all([
      page.waitForLoadState('domcontentloaded'),
      page.click(lookup.submit_selector!),
    ]);
    await page.click(lookup.result_link_selector);
  }
  await page.waitForSelector(profile.wait_for!.selector!, {
    timeout: profile.wait_for!.timeout_ms,
  });
}

describe.each([
  ['a', 'utf-8'],
  ['b', 'utf-8'],
  ['a', 'windows-1252'],
] as [Layout, PageEncoding][])('in Chromium, layout %s (%s)', (layout, encoding) => {
  let sim: RunningSimulator;
  let browser: Browser;
  let profile: TargetProfile;

  beforeAll(async () => {
    sim = await startSimulator({ layout, encoding, truth: true, analyticsDelayMs: 500 });
    profile = loadProfile(PROFILE_FILES[layout], { base_url: sim.url });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await sim?.close();
  });

  async function withContext(blocked: boolean, work: (page: Page) => Promise<void>): Promise<void> {
    const context: BrowserContext = await browser.newContext();
    try {
      if (blocked) {
        await context.route('**/*', (route) => {
          const request = route.request();
          return isBlockedRequest(profile, request.url(), request.resourceType())
            ? route.abort()
            : route.continue();
        });
      }
      await work(await context.newPage());
    } finally {
      await context.close();
    }
  }

  it.each(ORDERS)(
    'OS %s with the profile’s blocking: the script fills the items, extractOrder(content) equals the truth, no asset downloaded',
    async (osNumber) => {
      sim.resetStats();
      await withContext(true, async (page) => {
        await openInBrowser(page, profile, sim.url, osNumber);
        const result = extractOrder(await page.content(), profile);
        expect(result).toMatchObject({ kind: 'ok', missing: [], tableSources: { itens: 'html' } });
        expect(result.kind === 'ok' && result.data).toStrictEqual(
          (await fetchTruth(sim.url, osNumber)).body,
        );
      });
      expect(sim.stats().assetDownloads).toEqual({
        image: 0,
        font: 0,
        stylesheet: 0,
        'script-analytics': 0,
      });
    },
  );

  it('without blocking the page still reads right, and every heavy asset is downloaded', async () => {
    sim.resetStats();
    await withContext(false, async (page) => {
      await openInBrowser(page, profile, sim.url, ORDERS[0]);
      const result = extractOrder(await page.content(), profile);
      expect(result.kind === 'ok' && result.data).toStrictEqual(
        (await fetchTruth(sim.url, ORDERS[0])).body,
      );
      await page.waitForLoadState('load');
    });
    const downloads = sim.stats().assetDownloads;
    for (const type of ['image', 'font', 'stylesheet', 'script-analytics'] as const) {
      expect(downloads[type], type).toBeGreaterThanOrEqual(1);
    }
  });
});
