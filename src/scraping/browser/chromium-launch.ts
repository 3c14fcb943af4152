import type { LaunchOptions } from 'playwright';

/** Flags for Debian's Chromium in a container or CI box with no network of its own. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-extensions',
  '--mute-audio',
];

export function chromiumLaunchOptions(executablePath: string, timeoutMs: number): LaunchOptions {
  return {
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: timeoutMs,
    // The worker drains on SIGTERM itself and closes the browser last.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  };
}
