import { chromium, type Page } from 'playwright';
import { CHROMIUM_ARGS } from '../../src/scraping/browser/chromium-launch.js';

type TargetProfile = import('../../src/scraping/profile/index.js').TargetProfile;
type SearchLookup = Extract<TargetProfile['lookup'], { mode: 'search' }>;

const TIMEOUT_MS = 15_000;

/**
 * A script-only target (simulator layout c) read the way a person with the profile would, for the
 * runners that are not ours: log in in a browser, then per OS type the number into the search
 * page's own form, click the script result link, wait for the data to render and for
 * `wait_for.settle_ms`. Bare Playwright, no retries: the yardstick's steps, not our path's.
 */
export async function logInInBrowser(
  profile: TargetProfile,
): Promise<Array<{ name: string; value: string; url: string }>> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    const login = profile.login;
    await page.goto(new URL(login.url, profile.base_url).toString(), { timeout: TIMEOUT_MS });
    await page.locator(`[name="${login.username_field}"]`).fill('demo');
    await page.locator(`[name="${login.password_field}"]`).fill('demo');
    const success = login.success?.selectors ?? [];
    await page.locator(login.submit_selector!).click();
    await page.waitForSelector(success.join(', '), { state: 'attached', timeout: TIMEOUT_MS });
    const origin = new URL(profile.base_url).origin;
    return (await context.cookies()).map(({ name, value }) => ({ name, value, url: origin }));
  } finally {
    await browser.close();
  }
}

/** The search page's URL: where each OS's read starts. */
export function searchUrl(profile: TargetProfile): string {
  return new URL((profile.lookup as SearchLookup).search_url, profile.base_url).toString();
}

/** One OS on a page that is on the search page: the final page's HTML (the OS or "not found"). */
export async function searchAndOpen(
  page: Page,
  profile: TargetProfile,
  osNumber: string,
): Promise<string> {
  const lookup = profile.lookup as SearchLookup;
  const notFound = profile.not_found.selectors ?? [];
  const form = page.locator(lookup.form_selector!).first();
  await form.locator(`[name="${lookup.field}"]`).fill(osNumber, { timeout: TIMEOUT_MS });
  await Promise.all([
    page.waitForNavigation({ waitUntil: 'domcontentloaded', timeout: TIMEOUT_MS }),
    page.locator(lookup.submit_selector!).click({ timeout: TIMEOUT_MS, noWaitAfter: true }),
  ]);
  await page.waitForSelector([lookup.result_link_selector, ...notFound].join(', '), {
    state: 'attached',
    timeout: TIMEOUT_MS,
  });
  const link = page.locator(lookup.result_link_selector).first();
  if ((await link.count()) === 0) return page.content();
  await Promise.all([
    page.waitForNavigation({ waitUntil: 'domcontentloaded', timeout: TIMEOUT_MS }),
    link.click({ timeout: TIMEOUT_MS, noWaitAfter: true }),
  ]);
  const waitFor = profile.wait_for;
  const selectors = waitFor?.selectors ?? (waitFor?.selector ? [waitFor.selector] : []);
  if (selectors.length > 0)
    await page.waitForSelector(selectors.join(', '), { state: 'attached', timeout: TIMEOUT_MS });
  if (waitFor?.settle_ms) await page.waitForTimeout(waitFor.settle_ms);
  return page.content();
}
