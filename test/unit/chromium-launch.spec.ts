import { execFileSync } from 'node:child_process';
import { chromium, type Browser } from 'playwright';
import { describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, DISABLED_FEATURES } from '../../src/scraping/browser/chromium-launch.js';
import { CHROMIUM_OPTIONS } from '../support/chromium.js';

interface Launched {
  /** What the browser passes its renderers as `--disable-features` (what it runs with). */
  disabled: Set<string>;
  /** Targets that are not pages: the browser's own UI, per context. */
  browserUi: string[];
}

/** Launches Chromium with `args`, opens two contexts, and reads what it runs with. */
async function launch(args: string[]): Promise<Launched> {
  const browser: Browser = await chromium.launch({ ...CHROMIUM_OPTIONS, args });
  try {
    for (let i = 0; i < 2; i += 1) {
      const page = await (await browser.newContext()).newPage();
      await page.setContent('<p>OS</p>');
    }
    const session = await browser.newBrowserCDPSession();
    const { targetInfos } = await session.send('Target.getTargets');
    return {
      disabled: new Set(rendererDisabledFeatures()),
      browserUi: targetInfos.filter((t) => t.type === 'browser_ui').map((t) => t.url),
    };
  } finally {
    await browser.close();
  }
}

/** The `--disable-features` of a renderer of the browser this process launched. */
function rendererDisabledFeatures(): string[] {
  const rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [pid, ppid, ...args] = line.trim().split(/\s+/);
      return { pid: Number(pid), ppid: Number(ppid), args: args.join(' ') };
    });
  const mine = new Set([process.pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const row of rows)
      if (mine.has(row.ppid) && !mine.has(row.pid)) grew = Boolean(mine.add(row.pid));
  }
  const renderer = rows.find((row) => mine.has(row.pid) && row.args.includes('--type=renderer'));
  if (!renderer) throw new Error('no renderer of this browser found');
  return /--disable-features=(\S+)/.exec(renderer.args)?.[1]?.split(',') ?? [];
}

describe('Chromium launch flags', () => {
  it('keep every feature Playwright disables and drop the per-context address-bar popups', async () => {
    // Playwright's own list, as the browser sees it when nothing overrides it.
    const playwright = await launch(['--no-sandbox']);
    expect(playwright.disabled.size).toBeGreaterThan(5);
    const ours = await launch(CHROMIUM_ARGS);
    expect([...playwright.disabled].filter((feature) => !ours.disabled.has(feature))).toEqual([]);
    expect(DISABLED_FEATURES.filter((feature) => !ours.disabled.has(feature))).toEqual([]);
    expect(ours.browserUi).toEqual([]);
  });
});
