import type { Page } from 'playwright';
import { sleep } from '../../common/sleep.js';
import { withTimeout } from '../../common/with-timeout.js';
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
  /** The document is another than the one `markDocument` marked (a navigation happened). */
  newDocument: boolean;
  readyState: string;
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

/** Tags the current document, so that a later look can tell whether the page navigated. */
export async function markDocument(page: Page, token: string): Promise<void> {
  await withTimeout(
    page.evaluate((value) => {
      (window as unknown as { __rosDocument?: string }).__rosDocument = value;
    }, token),
    LOOK_TIMEOUT_MS,
    'the page did not answer (marking the document)',
  );
}

/** Which markers are on the page now. Throws while the page is between documents. */
export async function lookAt(
  page: Page,
  markers: readonly PageMarker[],
  token = '',
): Promise<MarkerSnapshot> {
  const wantText = markers.some((marker) => marker.texts.length > 0);
  const state = await withTimeout(
    page.evaluate(
      ({ groups, wantText, limit, token }) => {
        const has = (selector: string) => {
          try {
            return document.querySelector(selector) !== null;
          } catch {
            return false;
          }
        };
        return {
          hits: groups.map((selectors) => selectors.some(has)),
          text: wantText ? (document.body?.textContent ?? '').slice(0, limit) : '',
          marked: (window as unknown as { __rosDocument?: string }).__rosDocument === token,
          readyState: document.readyState,
        };
      },
      {
        groups: markers.map((marker) => marker.selectors),
        wantText,
        limit: TEXT_LIMIT,
        token,
      },
    ),
    LOOK_TIMEOUT_MS,
    'the page did not answer (a script may be stuck)',
  );
  const url = page.url();
  const text = state.text.replace(/\s+/g, ' ');
  const present = new Set<string>();
  markers.forEach((marker, i) => {
    if (
      state.hits[i] ||
      marker.texts.some((regex) => regex.test(text)) ||
      (marker.url !== undefined && marker.url.test(url))
    )
      present.add(marker.name);
  });
  return { present, url, newDocument: token !== '' && !state.marked, readyState: state.readyState };
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
