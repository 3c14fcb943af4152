import type { TargetProfile } from '../profile/target-profile.js';
import { targetUrl } from '../profile/target-url.js';
import { loadDocument } from './html-document.js';

/**
 * The detail-page URL linked from a search result page (absolute, resolved against the search
 * URL), or null when the result has no link: the OS was not found. Classify the page first to
 * tell "not found" from "session expired".
 */
export function parseSearchResult(html: string, profile: TargetProfile): string | null {
  if (profile.lookup.mode !== 'search') return null;
  const $ = loadDocument(html);
  const href = $(profile.lookup.result_link_selector).first().attr('href')?.trim();
  if (!href) return null;
  return new URL(href, targetUrl(profile, profile.lookup.search_url)).toString();
}
