import { Injectable } from '@nestjs/common';
import type { BrowserContext, CDPSession, Page } from 'playwright';
import { isBlockedRequest } from '../profile/browser-block-rules.js';
import { TargetDefinition } from '../target/target-definition.js';

/** The profile's resource types (Playwright's names) as the DevTools protocol spells them. */
const CDP_RESOURCE_TYPES: Record<string, string> = {
  document: 'Document',
  stylesheet: 'Stylesheet',
  image: 'Image',
  media: 'Media',
  font: 'Font',
  script: 'Script',
  texttrack: 'TextTrack',
  xhr: 'XHR',
  fetch: 'Fetch',
  eventsource: 'EventSource',
  websocket: 'WebSocket',
  manifest: 'Manifest',
  other: 'Other',
};
const PLAYWRIGHT_RESOURCE_TYPES = Object.fromEntries(
  Object.entries(CDP_RESOURCE_TYPES).map(([ours, cdp]) => [cdp, ours]),
);

interface RequestPaused {
  requestId: string;
  request: { url: string };
  resourceType: string;
}

/** `Fetch.RequestPattern` of the DevTools protocol. */
interface FetchPattern {
  urlPattern?: string;
  resourceType?: string;
  requestStage: 'Request';
}

/**
 * Aborts, before they are sent, the requests the profile says a browser must not make (images,
 * fonts, media, stylesheets, third-party scripts), and counts what it blocked.
 *
 * The blocking happens inside Chromium: the page's DevTools `Fetch` domain pauses only requests
 * of a blocked resource type or whose URL may match a blocked pattern, so every other request
 * (the document, its scripts, its XHR) goes out without a round trip through Node. A paused
 * request is failed at once when its type is blocked; one paused for its URL is checked against
 * the profile's exact glob (the protocol's wildcards are coarser) and continued when it does not
 * match.
 */
@Injectable()
export class RequestBlocker {
  private blocked = 0;
  private allowed = 0;

  constructor(private readonly target: TargetDefinition) {}

  /** Turns blocking on for one page, for as long as the page lives. */
  async attach(context: BrowserContext, page: Page): Promise<void> {
    const patterns = this.patterns();
    if (patterns.length === 0) return;
    const cdp = await context.newCDPSession(page);
    cdp.on('Fetch.requestPaused', (event: RequestPaused) => void this.decide(cdp, event));
    // Our resource type names are the protocol's (`CDP_RESOURCE_TYPES`); Playwright types them as a union.
    await cdp.send('Fetch.enable', { patterns: patterns as never });
  }

  /** Requests failed, and requests paused for their URL that the exact glob let through. */
  stats(): { blocked: number; allowed: number } {
    return { blocked: this.blocked, allowed: this.allowed };
  }

  /** The `Fetch.enable` patterns: each blocked type, and each URL glob widened to CDP wildcards. */
  patterns(): FetchPattern[] {
    const block = this.target.profile.block;
    return [
      ...block.resource_types.map((type) => ({
        resourceType: CDP_RESOURCE_TYPES[type] ?? 'Other',
        requestStage: 'Request' as const,
      })),
      ...block.url_patterns.flatMap(expandBraces).map((glob) => ({
        urlPattern: toCdpWildcard(glob),
        requestStage: 'Request' as const,
      })),
    ];
  }

  private async decide(cdp: CDPSession, event: RequestPaused): Promise<void> {
    const type = PLAYWRIGHT_RESOURCE_TYPES[event.resourceType] ?? 'other';
    try {
      if (isBlockedRequest(this.target.profile, event.request.url, type)) {
        this.blocked += 1;
        await cdp.send('Fetch.failRequest', {
          requestId: event.requestId,
          errorReason: 'BlockedByClient',
        });
      } else {
        this.allowed += 1;
        await cdp.send('Fetch.continueRequest', { requestId: event.requestId });
      }
    } catch {
      // The page navigated or closed meanwhile: the request is gone with it.
    }
  }
}

/** `a{b,c}d` into `abd`, `acd` (Playwright globs allow one level of braces). */
function expandBraces(glob: string): string[] {
  const open = glob.indexOf('{');
  const close = glob.indexOf('}', open);
  if (open < 0 || close < 0) return [glob];
  return glob
    .slice(open + 1, close)
    .split(',')
    .flatMap((choice) => expandBraces(glob.slice(0, open) + choice + glob.slice(close + 1)));
}

/**
 * A Playwright glob as a CDP URL pattern, which knows only `*` (anything) and `?` (one
 * character): `**` and `*` both become `*`, so the pattern pauses at least what the glob matches.
 */
function toCdpWildcard(glob: string): string {
  return glob.replace(/\\/g, '\\\\').replace(/\*+/g, '*');
}
