import { chromium, type Browser, type LaunchOptions } from 'playwright';
import { CHROMIUM_ARGS } from '../../src/scraping/browser/chromium-launch.js';

/** Debian's Chromium with the service's own flags, for tests that drive a browser themselves. */
export const CHROMIUM_OPTIONS: LaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: CHROMIUM_ARGS,
};

/**
 * Launches that Chromium for a test's own use, once more if it exits while starting: seen once in
 * a CI run under load ("Target page, context or browser has been closed" in a `beforeAll`, which
 * the suite's retries do not cover). A second failure is the test's failure.
 */
export async function launchChromium(): Promise<Browser> {
  try {
    return await chromium.launch(CHROMIUM_OPTIONS);
  } catch (error) {
    console.warn(`Chromium did not start, launching once more: ${(error as Error).message}`);
    return chromium.launch(CHROMIUM_OPTIONS);
  }
}
