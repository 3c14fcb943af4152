import type { TargetProfile } from './target-profile.js';

/**
 * Absolute URL of a profile path. Paths are appended to `base_url` (not resolved against it), so
 * a target under a prefix such as `http://host/erp` keeps its prefix.
 */
export function targetUrl(profile: Pick<TargetProfile, 'base_url'>, path: string): string {
  return profile.base_url.replace(/\/+$/, '') + path;
}
