import type { TargetProfile } from './target-profile.js';

/**
 * Playwright-style URL glob to a RegExp: `**` matches anything, `*` anything but "/", `?` one
 * character, `{a,b}` either. Everything else is literal.
 */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  let inGroup = false;
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i];
    if (char === '*') {
      if (glob[i + 1] === '*') {
        source += '.*';
        i++;
      } else {
        source += '[^/]*';
      }
    } else if (char === '?') {
      source += '.';
    } else if (char === '{' && !inGroup) {
      source += '(?:';
      inGroup = true;
    } else if (char === '}' && inGroup) {
      source += ')';
      inGroup = false;
    } else if (char === ',' && inGroup) {
      source += '|';
    } else {
      source += char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

const compiled = new WeakMap<TargetProfile, { types: Set<string>; patterns: RegExp[] }>();

/** Whether a browser should abort this request under the profile's `block` rules. */
export function isBlockedRequest(
  profile: TargetProfile,
  url: string,
  resourceType: string,
): boolean {
  let rules = compiled.get(profile);
  if (!rules) {
    rules = {
      types: new Set(profile.block.resource_types),
      patterns: profile.block.url_patterns.map(globToRegExp),
    };
    compiled.set(profile, rules);
  }
  return rules.types.has(resourceType) || rules.patterns.some((pattern) => pattern.test(url));
}
