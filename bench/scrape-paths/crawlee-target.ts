import type { Page } from 'playwright';
import { loadBuilt } from '../lib/index.js';
import { PROFILE_PATHS, type ReadOutcome, type RunnerInput } from './runner-types.js';
import { logInInBrowser, searchAndOpen, searchUrl } from './script-only-steps.js';

type Extractor = typeof import('../../src/scraping/extractor/index.js');
type Profiles = typeof import('../../src/scraping/profile/index.js');
type Cookies = typeof import('../../src/scraping/target/cookie-jar.js');
type ExtractionResult = import('../../src/scraping/extractor/index.js').ExtractionResult;
type TargetProfile = import('../../src/scraping/profile/index.js').TargetProfile;

/** What the Crawlee runners share with our paths: the profile, our extractor and a login. */
export interface CrawleeTarget {
  profile: TargetProfile;
  /** `Cookie` header of the logged-in session. */
  cookieHeader: string;
  /** The same cookies, for a browser context. */
  browserCookies: Array<{ name: string; value: string; url: string }>;
  /** Where a browser reads the OS: its URL, or the search page on a script-only target. */
  lookupUrl(osNumber: string): string;
  /**
   * On a script-only target (a browser login, a form search), what a browser does on the search
   * page to reach the OS; null on a target read by URL.
   */
  scriptOnly: null | ((page: Page, osNumber: string) => Promise<string>);
  /** The side requests (JSON) a detail page needs, as our HTTP path builds them. */
  sideRequests(html: string, osNumber: string): Array<{ name: string; url: string }>;
  /** Our extractor on a page (plus side responses), as an outcome. */
  extract(html: string, sideResponses?: Record<string, unknown>): ReadOutcome;
  /** An extraction result (ours, wherever it ran) as an outcome. */
  outcomeOf(result: ExtractionResult): ReadOutcome;
}

export async function prepareCrawleeTarget(input: RunnerInput): Promise<CrawleeTarget> {
  const [extractor, profiles, cookies] = await Promise.all([
    loadBuilt<Extractor>('scraping/extractor/index.js'),
    loadBuilt<Profiles>('scraping/profile/index.js'),
    loadBuilt<Cookies>('scraping/target/cookie-jar.js'),
  ]);
  const profile = profiles.loadProfile(PROFILE_PATHS[input.layout], {
    base_url: input.simulatorUrl,
  });
  if (profile.login.mode === 'browser') {
    const browserCookies = await logInInBrowser(profile);
    return {
      profile,
      cookieHeader: browserCookies.map(({ name, value }) => `${name}=${value}`).join('; '),
      browserCookies,
      lookupUrl: () => searchUrl(profile),
      scriptOnly: (page, osNumber) => searchAndOpen(page, profile, osNumber),
      sideRequests: () => [],
      extract: (html, sideResponses = {}) =>
        outcomeOf(extractor.extractOrder(html, profile, sideResponses)),
      outcomeOf,
    };
  }
  const jar = await logIn(profile, extractor, profiles, new cookies.CookieJar());
  return {
    profile,
    cookieHeader: jar.header(),
    browserCookies: jar.forBrowser(profile.base_url),
    lookupUrl: (osNumber) => {
      const lookup = extractor.buildLookupRequest(profile, osNumber);
      if (lookup.method !== 'GET') throw new Error('the Crawlee runners expect a GET lookup');
      return lookup.url;
    },
    scriptOnly: null,
    sideRequests: (html, osNumber) => {
      const vars = { ...extractor.extractPageVariables(html, profile), os_number: osNumber };
      return profile.side_requests.flatMap((spec) => {
        try {
          return [
            { name: spec.name, url: extractor.buildSideRequest(profile, spec.name, vars).url },
          ];
        } catch (error) {
          // A page without the variable (not found) has no side request, as in our HTTP path.
          if (error instanceof extractor.MissingTemplateVariableError) return [];
          throw error;
        }
      });
    },
    extract: (html, sideResponses = {}) =>
      outcomeOf(extractor.extractOrder(html, profile, sideResponses)),
    outcomeOf,
  };
}

function outcomeOf(result: ExtractionResult): ReadOutcome {
  if (result.kind === 'not_found') return { kind: 'not_found' };
  if (result.kind === 'forbidden') return { kind: 'error', message: 'forbidden' };
  if (result.kind === 'session_expired') return { kind: 'error', message: 'session expired' };
  if (result.missing.length > 0) {
    return { kind: 'error', message: `missing ${result.missing.join(', ')}` };
  }
  return { kind: 'ok', data: result.data };
}

/** One login with plain fetch: the login page (cookie, CSRF), the form post, the home page. */
async function logIn(
  profile: TargetProfile,
  extractor: Extractor,
  profiles: Profiles,
  jar: InstanceType<Cookies['CookieJar']>,
): Promise<InstanceType<Cookies['CookieJar']>> {
  const get = async (url: string, init: RequestInit = {}) => {
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: jar.header() },
    });
    jar.store(response.headers.getSetCookie());
    return response;
  };
  const loginUrl = profiles.targetUrl(profile, profile.login.url);
  const page = await get(loginUrl);
  const form = extractor.parseLoginForm(await page.text(), profile, loginUrl);
  if (!form || form.method !== 'POST') throw new Error('no POST login form on the login page');
  const posted = await get(form.action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      ...form.hiddenFields,
      [form.usernameField]: 'demo',
      [form.passwordField]: 'demo',
    }).toString(),
  });
  const homeUrl = new URL(posted.headers.get('location') ?? form.action, form.action).toString();
  const home = await get(homeUrl);
  if (!extractor.isLoggedInPage(await home.text(), profile, homeUrl)) {
    throw new Error(`the login did not reach the home page (HTTP ${posted.status})`);
  }
  return jar;
}
