import { type Browser } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { treeMemory } from '../../bench/lib/proc-stats.js';
import { processMemory } from '../../src/common/process-memory.js';
import { launchChromium } from '../support/chromium.js';

/** What a worker reports about its memory, with a real Chromium under this process. */
describe('processMemory', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
    // A few pages, as a worker with contexts open has.
    for (let i = 0; i < 3; i += 1) {
      const page = await (await browser.newContext()).newPage();
      await page.setContent(`<h1>OS ${i}</h1>`);
    }
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('counts Chromium once (PSS), below the sum of its processes’ RSS', async () => {
    const reported = await processMemory();
    const chromiumRssMb = treeMemory(process.pid, /chrom/i).rssBytes / 1_048_576;
    expect(reported.chromium_processes).toBeGreaterThan(2);
    expect(reported.chromium_pss_mb).toBeGreaterThan(0);
    expect(reported.chromium_pss_mb).toBeLessThan(chromiumRssMb);
    expect(reported.total_mb).toBeCloseTo(reported.node_rss_mb + reported.chromium_pss_mb, 0);
  });
});
