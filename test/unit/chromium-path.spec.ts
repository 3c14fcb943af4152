import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveChromium } from '../../src/scraping/browser/chromium-path.js';

// Real files in a temporary directory: the lookup reads the file system, nothing is faked.
const dir = mkdtempSync(join(tmpdir(), 'chromium-path-'));
const executable = (name: string): string => {
  const path = join(dir, name);
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, 0o755);
  return path;
};
const playwright = executable('playwright-chrome');
const binDir = join(dir, 'bin');
const noBrowserHere = join(dir, 'empty');

describe('resolveChromium: CHROMIUM_PATH, then Playwright’s browser, then the system’s', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('takes CHROMIUM_PATH first, even when something else is installed', () => {
    const configured = executable('my-chrome');
    expect(resolveChromium(configured, { playwrightPath: playwright })).toEqual({
      path: configured,
      source: 'CHROMIUM_PATH',
      found: true,
    });
    expect(resolveChromium(join(dir, 'missing'), { playwrightPath: playwright }).found).toBe(false);
  });

  it('then the browser `npx playwright install chromium` installed, when it is there', () => {
    expect(resolveChromium(undefined, { playwrightPath: playwright, pathEnv: '' })).toEqual({
      path: playwright,
      source: 'playwright',
      found: true,
    });
  });

  it('then the system’s chromium on PATH', async () => {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(binDir, { recursive: true });
    const system = executable('bin/chromium');
    const resolved = resolveChromium(undefined, {
      playwrightPath: join(dir, 'not-installed'),
      pathEnv: [noBrowserHere, binDir].join(':'),
    });
    expect(resolved).toEqual({ path: system, source: 'system', found: true });
  });

  it('names Debian’s /usr/bin/chromium when nothing is found', () => {
    const resolved = resolveChromium(undefined, {
      playwrightPath: join(dir, 'not-installed'),
      pathEnv: noBrowserHere,
    });
    expect(resolved.path).toBe('/usr/bin/chromium');
    expect(resolved.source).toBe('system');
  });
});
