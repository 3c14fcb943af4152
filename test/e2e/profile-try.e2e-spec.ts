import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startTestSimulator,
  targetEnv,
  truthOf,
  type RunningSimulator,
} from '../support/simulator.js';
import { testEnv } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { deleteRedisKeys, uniqueRedisPrefix } from '../support/test-redis.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist/scraping/profile-tools/profile-try.cli.js');
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `profile:try` against the simulator, as its author runs it: the built engine, real PostgreSQL, Redis, Chromium. */
describe('profile:try', () => {
  let sim: RunningSimulator;
  let db: TestDatabase;
  let work: string;
  const redisPrefix = uniqueRedisPrefix('profile-try');

  const tryProfile = (args: string[]): Promise<Run> =>
    new Promise((done, reject) => {
      const child = spawn(process.execPath, [CLI, ...args], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          ...testEnv(db, redisPrefix),
          ...targetEnv(sim),
          ENV_FILE: 'none',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => done({ code, stdout, stderr }));
    });

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npx nest build first`);
    sim = await startTestSimulator({ layout: 'a' });
    db = await createTestDatabase('profile_try');
    work = await mkdtemp(join(tmpdir(), 'profile-try-'));
  });

  afterAll(async () => {
    await sim?.close();
    await db?.drop();
    await deleteRedisKeys(redisPrefix);
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('http: prints each value read, saves the page and its JSON, exit 0', async () => {
    const truth = (await truthOf(sim, '1002'))!;
    const out = join(work, 'http');
    const run = await tryProfile([
      '--profile',
      'profiles/erp-simulator.json',
      '--number',
      '1002',
      '--path',
      'http',
      '--out',
      out,
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/outcome success via http in \d+ ms, 1 attempt\(s\), 1 login\(s\)/);
    expect(run.stdout).toContain(`${JSON.stringify(truth.cliente_nome)}   ← selector "#cli_nome"`);
    expect(run.stdout).toContain(
      `table itens: ${(truth.itens as unknown[]).length} row(s) from json`,
    );
    expect(run.stdout).toContain(`pages saved in ${out}: http.html, http.itens.json`);
    expect(await readFile(join(out, 'http.html'), 'utf8')).toContain(String(truth.cliente_cnpj));
    expect(JSON.parse(await readFile(join(out, 'http.itens.json'), 'utf8'))).toBeTruthy();
  });

  it('browser: the rendered page and a PNG screenshot', async () => {
    const truth = (await truthOf(sim, '1038'))!;
    const out = join(work, 'browser');
    const run = await tryProfile([
      '--profile',
      'profiles/erp-simulator.json',
      '--number',
      '1038',
      '--path',
      'browser',
      '--out',
      out,
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/outcome success via browser/);
    expect(run.stdout).toContain(
      `table itens: ${(truth.itens as unknown[]).length} row(s) from html`,
    );
    expect((await readdir(out)).sort()).toEqual(['browser.html', 'browser.png']);
    const png = await readFile(join(out, 'browser.png'));
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(await readFile(join(out, 'browser.html'), 'utf8')).toContain('itens-corpo');
  });

  it('a typo in a required selector: every path tried, the selector named, exit 1', async () => {
    const raw = JSON.parse(await readFile(join(ROOT, 'profiles/erp-simulator.json'), 'utf8')) as {
      fields: Record<string, unknown>[];
    };
    raw.fields.find((field) => field.name === 'cliente_nome')!.selector = '#cli_nmoe';
    const profile = join(work, 'typo.json');
    await writeFile(profile, JSON.stringify(raw));
    const out = join(work, 'typo');
    const run = await tryProfile(['--profile', profile, '--number', '1011', '--out', out]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/outcome failed via robust/);
    expect(run.stdout).toContain('error incomplete: required fields missing: cliente_nome');
    expect(run.stdout).toMatch(
      /MISSING cliente_nome\s+selector "#cli_nmoe": matched nothing on the page \(required\)/,
    );
    expect((await readdir(out)).sort()).toEqual([
      'browser.html',
      'browser.png',
      'http.html',
      'http.itens.json',
      'robust.html',
      'robust.png',
    ]);
    expect(run.stdout.trim().endsWith('INCOMPLETE')).toBe(true);
  });

  it('usage errors exit 2', async () => {
    expect(await tryProfile(['--number', '1'])).toMatchObject({ code: 2 });
    expect(
      await tryProfile([
        '--profile',
        'profiles/erp-simulator.json',
        '--number',
        '1',
        '--path',
        'x',
      ]),
    ).toMatchObject({ code: 2 });
  });
});
