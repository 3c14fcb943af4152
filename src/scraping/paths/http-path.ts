import { Injectable } from '@nestjs/common';
import { classifyPage } from '../extractor/page-classifier.js';
import { buildLookupRequest, buildSideRequest } from '../extractor/lookup-request.js';
import { extractOrder } from '../extractor/order-extractor.js';
import { extractPageVariables } from '../extractor/page-variables.js';
import { parseSearchResult } from '../extractor/search-result-parser.js';
import { MissingTemplateVariableError } from '../extractor/url-template.js';
import { ScrapeError, SessionExpiredError } from '../scrape-errors.js';
import { capturePage, captureSecrets } from '../snapshots/page-capture.js';
import type { SessionLease } from '../session/session-pool.service.js';
import { TargetDefinition } from '../target/target-definition.js';
import {
  TargetHttpClient,
  type TargetRequest,
  type TargetResponse,
} from '../target/target-http-client.js';
import { TargetPoliteness, type Pace } from '../target/target-politeness.service.js';
import { readingOf, type PathReading } from './path-reading.js';

/**
 * The fast path: plain HTTP with the session's cookies, the JSON side requests the page would
 * make by script, and the profile's extractor. No rendering, no assets.
 */
@Injectable()
export class HttpPath {
  constructor(
    private readonly target: TargetDefinition,
    private readonly http: TargetHttpClient,
    private readonly politeness: TargetPoliteness,
  ) {}

  async read(osNumber: string, session: SessionLease, signal?: AbortSignal): Promise<PathReading> {
    captureSecrets(Object.values(session.cookies.toJSON()));
    // One permit for the whole read: its requests follow one another, never overlapping.
    return this.politeness.sequence(
      (pace) => this.readPaced(osNumber, fetcher(this.http, session, pace)),
      signal,
    );
  }

  private async readPaced(osNumber: string, fetch: Fetch): Promise<PathReading> {
    const profile = this.target.profile;
    const lookup = buildLookupRequest(profile, osNumber);
    let page = await fetch({ method: lookup.method, url: lookup.url, form: lookup.form });
    if (profile.lookup.mode === 'search') {
      const kind = classifyPage(page.text, profile, { status: page.status, url: page.url });
      if (kind === 'session_expired' || kind === 'login_page') throw new SessionExpiredError();
      if (kind === 'not_found' || kind === 'forbidden') return { kind };
      const detailUrl = parseSearchResult(page.text, profile);
      // No link and no "not found" (a postback form refusing a post it did not render, a link
      // run by script): only a browser can tell, so this is no outcome.
      if (!detailUrl || !/^https?:/i.test(detailUrl))
        throw new ScrapeError(
          'incomplete',
          'the search result has no link to follow over HTTP (lookup.result_link_selector) and no not_found marker',
          false,
        );
      page = await fetch({ url: detailUrl, referer: page.url });
    }
    const sideResponses = await this.sideRequests(page, osNumber, fetch);
    capturePage({
      path: 'http',
      html: page.text,
      url: page.url,
      status: page.status,
      sideResponses,
    });
    return readingOf(
      extractOrder(page.text, profile, sideResponses, { status: page.status, url: page.url }),
    );
  }

  /** The JSON a page would load by script; one that fails is left out (the page is then incomplete). */
  private async sideRequests(
    page: TargetResponse,
    osNumber: string,
    fetch: Fetch,
  ): Promise<Record<string, unknown>> {
    const profile = this.target.profile;
    if (profile.side_requests.length === 0) return {};
    const variables = { ...extractPageVariables(page.text, profile), os_number: osNumber };
    const responses: Record<string, unknown> = {};
    for (const spec of profile.side_requests) {
      let request;
      try {
        request = buildSideRequest(profile, spec.name, variables);
      } catch (error) {
        if (error instanceof MissingTemplateVariableError) continue;
        throw error;
      }
      const response = await fetch({
        method: request.method,
        url: request.url,
        form: request.form,
        accept: spec.expect_content_type,
        referer: page.url,
      });
      if (response.status >= 400) continue;
      if (!response.contentType.includes(spec.expect_content_type)) {
        const kind = classifyPage(response.text, profile, {
          status: response.status,
          url: response.url,
        });
        if (kind === 'session_expired' || kind === 'login_page') throw new SessionExpiredError();
        continue;
      }
      try {
        responses[spec.name] = JSON.parse(response.text);
      } catch {
        // Malformed JSON: the table stays empty and a browser gets its turn.
      }
    }
    return responses;
  }
}

type Fetch = (request: Omit<TargetRequest, 'cookies'>) => Promise<TargetResponse>;

/** Requests with the session's cookies, each after a rate token but the first. */
function fetcher(http: TargetHttpClient, session: SessionLease, pace: Pace): Fetch {
  let first = true;
  return async (request) => {
    if (!first) await pace();
    first = false;
    return http.send({ ...request, cookies: session.cookies });
  };
}
