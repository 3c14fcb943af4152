import type { CheerioAPI } from 'cheerio';
import type { TargetProfile } from '../profile/target-profile.js';
import { compileProfile, type CompiledPattern } from './compiled-profile.js';
import { firstNode, loadDocument, select } from './html-document.js';
import { flatText } from './text-normalizer.js';

export type PageKind = 'ok' | 'not_found' | 'forbidden' | 'session_expired' | 'login_page';

/** What is known of a page besides its HTML: its HTTP status and URL (after redirects). */
export interface PageContext {
  status?: number;
  url?: string;
}

/** The page text (one line), computed at most once per classification and only if a pattern needs it. */
class LazyText {
  private text: string | undefined;

  constructor(private readonly $: CheerioAPI) {}

  get(): string {
    if (this.text === undefined) {
      const body = firstNode(this.$('body'));
      this.text = body ? flatText(body) : '';
    }
    return this.text;
  }
}

function matches(
  $: CheerioAPI,
  pattern: CompiledPattern,
  text: LazyText,
  page: PageContext = {},
): boolean {
  if (page.status !== undefined && pattern.statuses.has(page.status)) return true;
  if (page.url !== undefined && pattern.url?.test(page.url)) return true;
  for (const selector of pattern.selectors) if (select($, selector).length > 0) return true;
  for (const regex of pattern.texts) if (regex.test(text.get())) return true;
  return false;
}

/** Classifies a parsed page. Order matters: an expired-session page may also show the login form. */
export function classifyDocument(
  $: CheerioAPI,
  profile: TargetProfile,
  page: PageContext = {},
): PageKind {
  const compiled = compileProfile(profile);
  const text = new LazyText($);
  if (matches($, compiled.sessionExpired, text, page)) return 'session_expired';
  if (matches($, compiled.loginPage, text, page)) return 'login_page';
  if (compiled.forbidden && matches($, compiled.forbidden, text, page)) return 'forbidden';
  if (matches($, compiled.notFound, text, page)) return 'not_found';
  return 'ok';
}

/**
 * What a 200 page from the target is: the page asked for (`ok`), "OS not found", "session
 * expired", or the login form (the session is gone without a word).
 */
export function classifyPage(
  html: string,
  profile: TargetProfile,
  page: PageContext = {},
): PageKind {
  return classifyDocument(loadDocument(html), profile, page);
}

/**
 * Whether the page reached after posting the login form is the logged-in home page: it matches
 * `login.success` (its selectors/texts, or `url_pattern` against `finalUrl`) and is no login page.
 */
export function isLoggedInPage(html: string, profile: TargetProfile, finalUrl?: string): boolean {
  const $ = loadDocument(html);
  const compiled = compileProfile(profile);
  const text = new LazyText($);
  if (matches($, compiled.sessionExpired, text) || matches($, compiled.loginPage, text))
    return false;
  if (finalUrl !== undefined && compiled.loginSuccess.url?.test(finalUrl)) return true;
  return matches($, compiled.loginSuccess, text);
}

// --- Why a page is classified as it is (profile:try, profile:check --page) ---

function matchReason(
  $: CheerioAPI,
  pattern: CompiledPattern,
  text: LazyText,
  page: PageContext,
): string | null {
  if (page.status !== undefined && pattern.statuses.has(page.status))
    return `status ${page.status}`;
  if (page.url !== undefined && pattern.url?.test(page.url))
    return `url_pattern /${pattern.url.source}/`;
  for (const selector of pattern.selectors)
    if (select($, selector).length > 0) return `selector "${selector}"`;
  for (const regex of pattern.texts)
    if (regex.test(text.get())) return `text pattern /${regex.source}/`;
  return null;
}

/** The page's kind and, unless it is `ok`, which pattern of the profile matched it and how. */
export function explainPage(
  html: string,
  profile: TargetProfile,
  page: PageContext = {},
): { kind: PageKind; pattern?: string; by?: string } {
  const $ = loadDocument(html);
  const compiled = compileProfile(profile);
  const text = new LazyText($);
  const candidates: [PageKind, string, CompiledPattern | undefined][] = [
    ['session_expired', 'login.session_expired', compiled.sessionExpired],
    ['login_page', 'login.login_page', compiled.loginPage],
    ['forbidden', 'forbidden', compiled.forbidden],
    ['not_found', 'not_found', compiled.notFound],
  ];
  for (const [kind, pattern, compiledPattern] of candidates) {
    const by = compiledPattern && matchReason($, compiledPattern, text, page);
    if (by) return { kind, pattern, by };
  }
  return { kind: 'ok' };
}
