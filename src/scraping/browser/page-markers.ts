import type { Page } from 'playwright';
import { sleep } from '../../common/sleep.js';
import { withTimeout } from '../../common/with-timeout.js';
import { NON_TEXT_ELEMENTS } from '../extractor/text-normalizer.js';
import type { PagePattern } from '../profile/target-profile.js';

/** Something that can be on a page: any of its selectors, any of its text patterns, or its URL. */
export interface PageMarker {
  name: string;
  selectors: string[];
  texts: RegExp[];
  url?: RegExp;
}

export interface MarkerSnapshot {
  /** Names of the markers on the page now. */
  present: Set<string>;
  url: string;
  /** The document is another than the one the look with `mark` tagged (a navigation happened). */
  newDocument: boolean;
  readyState: string;
}

export interface LookOptions {
  /** Tags the document with the token first, so that a later look can tell it navigated. */
  mark?: boolean;
}

/** Text of the body read for text patterns: enough for any message, bounded for hostile pages. */
const TEXT_LIMIT = 200_000;
const POLL_MS = 100;
/** One look at the page may not take longer than this (a page stuck in a script loop). */
const LOOK_TIMEOUT_MS = 5_000;

export function markerOf(
  name: string,
  pattern: (PagePattern & { url_pattern?: string }) | undefined,
): PageMarker {
  return {
    name,
    selectors: pattern?.selectors ?? [],
    texts: (pattern?.text_patterns ?? []).map((text) => new RegExp(text, 'i')),
    url: pattern?.url_pattern ? new RegExp(pattern.url_pattern) : undefined,
  };
}

/** What the page is asked: which marker groups it shows, judged inside the page. */
interface LookRequest {
  selectors: string[][];
  patterns: Array<Array<{ source: string; flags: string }>>;
  /** Elements whose text is left out, as the HTTP path leaves it out (`NON_TEXT_ELEMENTS`). */
  skipped: readonly string[];
  limit: number;
  token: string;
  mark: boolean;
}

interface LookAnswer {
  hits: boolean[];
  marked: boolean;
  readyState: string;
}

/**
 * Runs in the page: selectors and text patterns are tested there, so no body text crosses to
 * Node. Plain loops and records: legacy pages patch `Array.prototype` (Prototype.js, MooTools).
 */
function lookInPage(request: LookRequest): LookAnswer {
  const w = window as unknown as { __rosDocument?: string };
  if (request.mark) w.__rosDocument = request.token;
  // The HTTP path's rule (`flatText`): text nodes joined by a space, the skipped elements left
  // out, whitespace collapsed; bounded for hostile pages.
  const skipped: Record<string, true> = {};
  for (const name of request.skipped) skipped[name] = true;
  const bodyText = (): string => {
    if (!document.body) return '';
    const walker = document.createTreeWalker(
      document.body,
      NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT,
      (node) =>
        node.nodeType === Node.ELEMENT_NODE && skipped[(node as Element).localName]
          ? NodeFilter.FILTER_REJECT
          : NodeFilter.FILTER_ACCEPT,
    );
    const parts: string[] = [];
    let length = 0;
    for (let node = walker.nextNode(); node !== null && length < request.limit;) {
      if (node.nodeType === Node.TEXT_NODE) {
        parts.push(node.nodeValue ?? '');
        length += (node.nodeValue ?? '').length + 1;
      }
      node = walker.nextNode();
    }
    return parts.join(' ').slice(0, request.limit).replace(/\s+/g, ' ').trim();
  };
  let text: string | null = null;
  const hits: boolean[] = [];
  for (let i = 0; i < request.selectors.length; i++) {
    let hit = false;
    for (const selector of request.selectors[i]!) {
      try {
        hit = document.querySelector(selector) !== null;
      } catch {
        hit = false;
      }
      if (hit) break;
    }
    for (const pattern of request.patterns[i]!) {
      if (hit) break;
      text ??= bodyText();
      hit = new RegExp(pattern.source, pattern.flags).test(text);
    }
    hits.push(hit);
  }
  return { hits, marked: w.__rosDocument === request.token, readyState: document.readyState };
}

/** Tags the current document, so that a later look can tell whether the page navigated. */
export async function markDocument(page: Page, token: string): Promise<void> {
  await lookAt(page, [], token, { mark: true });
}

/** Which markers are on the page now. Throws while the page is between documents. */
export async function lookAt(
  page: Page,
  markers: readonly PageMarker[],
  token = '',
  options: LookOptions = {},
): Promise<MarkerSnapshot> {
  const request: LookRequest = {
    selectors: markers.map((marker) => marker.selectors),
    patterns: markers.map((marker) =>
      marker.texts.map((regex) => ({
        source: regex.source,
        flags: regex.flags.replace(/[gy]/g, ''),
      })),
    ),
    skipped: NON_TEXT_ELEMENTS,
    limit: TEXT_LIMIT,
    token,
    mark: options.mark ?? false,
  };
  const answer = await withTimeout(
    page.evaluate(lookInPage, request),
    LOOK_TIMEOUT_MS,
    options.mark
      ? 'the page did not answer (marking the document)'
      : 'the page did not answer (a script may be stuck)',
  );
  const url = page.url();
  const present = new Set<string>();
  markers.forEach((marker, i) => {
    if (answer.hits[i] || (marker.url !== undefined && marker.url.test(url)))
      present.add(marker.name);
  });
  return {
    present,
    url,
    newDocument: token !== '' && !answer.marked,
    readyState: answer.readyState,
  };
}

/**
 * Looks at the page until `decide` returns a value or `timeoutMs` passes (then null). Looks that
 * fail because the page is navigating are simply repeated.
 */
export async function watchPage<T>(
  page: Page,
  markers: readonly PageMarker[],
  timeoutMs: number,
  decide: (snapshot: MarkerSnapshot) => T | null,
  token = '',
): Promise<T | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const decided = decide(await lookAt(page, markers, token));
      if (decided !== null) return decided;
    } catch (error) {
      if (page.isClosed()) throw error;
      // Between two documents (execution context destroyed) or a page busy for a moment.
    }
    if (Date.now() >= deadline) return null;
    await sleep(Math.min(POLL_MS, Math.max(0, deadline - Date.now())));
  }
}

/**
 * Resolves once the DOM has not changed for `quietMs` (or after `timeoutMs`): for pages whose
 * script keeps filling them after the first marker shows.
 */
export async function waitForQuietDom(
  page: Page,
  quietMs: number,
  timeoutMs: number,
): Promise<void> {
  if (quietMs <= 0) return;
  await withTimeout(
    page.evaluate(
      ({ quietMs, timeoutMs }) =>
        new Promise<void>((resolve) => {
          let timer = setTimeout(done, quietMs);
          const observer = new MutationObserver(() => {
            clearTimeout(timer);
            timer = setTimeout(done, quietMs);
          });
          const cap = setTimeout(done, timeoutMs);
          function done() {
            observer.disconnect();
            clearTimeout(timer);
            clearTimeout(cap);
            resolve();
          }
          observer.observe(document, {
            subtree: true,
            childList: true,
            characterData: true,
            attributes: true,
          });
        }),
      { quietMs, timeoutMs },
    ),
    timeoutMs + LOOK_TIMEOUT_MS,
    'the page did not settle',
  ).catch(() => undefined);
}
