import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { chromium } from 'playwright';

/** Where the Chromium in use came from, in the order they are tried. */
export type ChromiumSource = 'CHROMIUM_PATH' | 'playwright' | 'system';

export interface ResolvedChromium {
  path: string;
  source: ChromiumSource;
  /** Whether an executable file is there. */
  found: boolean;
}

/** Debian's package: what the Docker image and CI use, and the answer when nothing is found. */
export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

const SYSTEM_NAMES = ['chromium', 'chromium-browser'];
const MACOS_CHROMIUM = '/Applications/Chromium.app/Contents/MacOS/Chromium';

export interface ChromiumLookup {
  /** `PATH`, searched for the system's `chromium`. */
  pathEnv?: string;
  /** Where `npx playwright install chromium` puts its browser (Playwright's own answer). */
  playwrightPath?: string;
}

/**
 * The Chromium to launch, as users expect to find it: `CHROMIUM_PATH` when set; else the browser
 * `npx playwright install chromium` installed (the usual way on a laptop, macOS included); else
 * the system's `chromium` (on `PATH`, Debian's `/usr/bin/chromium` when none is).
 */
export function resolveChromium(
  configured: string | undefined,
  lookup: ChromiumLookup = {},
): ResolvedChromium {
  if (configured)
    return { path: configured, source: 'CHROMIUM_PATH', found: isExecutable(configured) };
  const playwright = lookup.playwrightPath ?? playwrightChromium();
  if (playwright && isExecutable(playwright)) {
    return { path: playwright, source: 'playwright', found: true };
  }
  const system =
    onPath(SYSTEM_NAMES, lookup.pathEnv ?? process.env.PATH ?? '') ??
    (process.platform === 'darwin' && isExecutable(MACOS_CHROMIUM) ? MACOS_CHROMIUM : undefined);
  return system
    ? { path: system, source: 'system', found: true }
    : { path: DEBIAN_CHROMIUM, source: 'system', found: isExecutable(DEBIAN_CHROMIUM) };
}

function playwrightChromium(): string | undefined {
  try {
    return chromium.executablePath();
  } catch {
    return undefined;
  }
}

function onPath(names: string[], pathEnv: string): string | undefined {
  for (const directory of pathEnv.split(delimiter).filter(Boolean)) {
    for (const name of names) {
      const candidate = join(directory, name);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
