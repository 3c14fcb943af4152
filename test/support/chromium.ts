import type { LaunchOptions } from 'playwright';
import { CHROMIUM_ARGS } from '../../src/scraping/browser/chromium-launch.js';

/** Debian's Chromium with the service's own flags, for tests that drive a browser themselves. */
export const CHROMIUM_OPTIONS: LaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: CHROMIUM_ARGS,
};
