import type { TargetProfile } from '../profile/target-profile.js';
import { targetUrl } from '../profile/target-url.js';
import { resolveUrlTemplate } from './url-template.js';

export interface TargetRequest {
  method: 'GET' | 'POST';
  url: string;
  /** Form fields for a POST (or the query of a GET search, already in `url`). */
  form?: Record<string, string>;
}

/** An OS number that does not match the profile's `os_number_pattern`. */
export class InvalidOsNumberError extends Error {
  constructor(readonly osNumber: string) {
    super(`Invalid OS number: ${JSON.stringify(osNumber)}`);
    this.name = 'InvalidOsNumberError';
  }
}

const patterns = new WeakMap<TargetProfile, RegExp>();

export function isValidOsNumber(profile: TargetProfile, osNumber: string): boolean {
  let pattern = patterns.get(profile);
  if (!pattern) {
    pattern = new RegExp(profile.os_number_pattern);
    patterns.set(profile, pattern);
  }
  return pattern.test(osNumber);
}

/**
 * The first request for an OS: its detail page (`url` mode) or the search (`search` mode). The
 * number is checked against the profile's pattern and URL-encoded, so users never shape a URL.
 */
export function buildLookupRequest(profile: TargetProfile, osNumber: string): TargetRequest {
  if (!isValidOsNumber(profile, osNumber)) throw new InvalidOsNumberError(osNumber);
  const lookup = profile.lookup;
  if (lookup.mode === 'url') {
    return {
      method: 'GET',
      url: targetUrl(profile, resolveUrlTemplate(lookup.url_template, { os_number: osNumber })),
    };
  }
  const form = { ...(lookup.extra_fields ?? {}), [lookup.field]: osNumber };
  const url = targetUrl(profile, lookup.search_url);
  if (lookup.method === 'POST') return { method: 'POST', url, form };
  const query = new URLSearchParams(form).toString();
  return { method: 'GET', url: `${url}${url.includes('?') ? '&' : '?'}${query}` };
}

/** The request of a side request, with variables from `extractPageVariables` (plus `os_number`). */
export function buildSideRequest(
  profile: TargetProfile,
  name: string,
  vars: Record<string, string | number>,
): TargetRequest {
  const spec = profile.side_requests.find((request) => request.name === name);
  if (!spec) throw new Error(`No side request named "${name}"`);
  const url = targetUrl(profile, resolveUrlTemplate(spec.url_template, vars));
  if (spec.method === 'GET') return { method: 'GET', url };
  const form = Object.fromEntries(
    Object.entries(spec.form ?? {}).map(([key, template]) => [key, fillText(template, vars)]),
  );
  return { method: 'POST', url, form };
}

/** Placeholders in a form value are filled as they are (the form encoder escapes them). */
function fillText(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{([^{}]*)\}/g, (whole, name: string) =>
    name in vars ? String(vars[name]) : whole,
  );
}
