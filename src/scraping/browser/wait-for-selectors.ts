import type { WaitForSpec } from '../profile/target-profile.js';

/** Every selector of `wait_for` ("selector" and "selectors"), any of which ends the wait. */
export function waitForSelectors(spec: WaitForSpec | undefined): string[] {
  if (!spec) return [];
  return [...(spec.selector ? [spec.selector] : []), ...(spec.selectors ?? [])];
}
