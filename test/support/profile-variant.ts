import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Tests reach into the profile JSON freely; its shape is checked when the app loads it.
/* eslint-disable @typescript-eslint/no-explicit-any */

/** A target profile as plain JSON. */
export type ProfileJson = Record<string, any>;

/** Writes a copy of a shipped profile changed by `edit`, and returns its path. */
export function profileVariant(source: string, edit: (profile: ProfileJson) => void): string {
  const profile = JSON.parse(readFileSync(source, 'utf8')) as ProfileJson;
  edit(profile);
  const path = join(mkdtempSync(join(tmpdir(), 'ros-profile-')), 'profile.json');
  writeFileSync(path, JSON.stringify(profile, null, 2));
  return path;
}
