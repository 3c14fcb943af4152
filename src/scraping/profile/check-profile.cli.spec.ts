import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const CLI = new URL('./check-profile.cli.ts', import.meta.url).pathname;
const GOOD_A = new URL('../../../profiles/erp-simulator.json', import.meta.url).pathname;
const GOOD_B = new URL('../../../profiles/erp-simulator-b.json', import.meta.url).pathname;

/** Runs `profile:check` the way npm does (tsx), and collects its exit code and output. */
async function check(
  ...files: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', CLI, ...files]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('profile:check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'profile-check-'));
  const bad = join(dir, 'bad.json');
  const raw = JSON.parse(readFileSync(GOOD_A, 'utf8')) as {
    fields: Record<string, unknown>[];
    base_url?: string;
  };
  raw.fields[3].selector = '';
  delete raw.base_url;
  writeFileSync(bad, JSON.stringify(raw));

  it('prints OK and exits 0 for a good profile', async () => {
    expect(await check(GOOD_A)).toMatchObject({ code: 0, stdout: 'OK\n' });
  });

  it('prints one line per problem and exits 1 for a bad one', async () => {
    const result = await check(bad);
    expect(result.code).toBe(1);
    expect(result.stdout.trim().split('\n').sort()).toEqual([
      'base_url: must be a non-empty string',
      'fields[3].selector: must be a non-empty string',
    ]);
  });

  it('names the file on each line when given several', async () => {
    const result = await check(GOOD_B, bad);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`${GOOD_B}: OK\n`);
    expect(result.stdout).toContain(`${bad}: fields[3].selector: must be a non-empty string\n`);
  });

  it('exits 2 with usage when no file is given', async () => {
    const result = await check();
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage');
  });
});
