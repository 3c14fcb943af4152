import { readFileSync } from 'node:fs';
import { ProfileValidationError } from './profile-validation.error.js';
import type { TargetProfile } from './target-profile.js';
import { validateProfile } from './profile-validator.js';

/** Values the deployment sets over the file (e.g. the target's address differs per environment). */
export interface ProfileOverrides {
  base_url?: string;
}

/** Parses and validates profile JSON text; throws `ProfileValidationError` listing every problem. */
export function parseProfile(
  json: string,
  source?: string,
  overrides: ProfileOverrides = {},
): TargetProfile {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new ProfileValidationError(
      [`(root): not valid JSON (${(error as Error).message})`],
      source,
    );
  }
  if (
    overrides.base_url !== undefined &&
    typeof raw === 'object' &&
    raw !== null &&
    !Array.isArray(raw)
  ) {
    raw = { ...raw, base_url: overrides.base_url };
  }
  const { profile, errors } = validateProfile(raw);
  if (!profile) throw new ProfileValidationError(errors, source);
  return profile;
}

/** Reads, parses and validates a profile file. */
export function loadProfile(path: string, overrides: ProfileOverrides = {}): TargetProfile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ProfileValidationError(
      [`(file): cannot read ${path} (${(error as Error).message})`],
      path,
    );
  }
  return parseProfile(text, path, overrides);
}
