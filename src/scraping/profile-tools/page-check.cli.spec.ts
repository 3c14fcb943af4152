import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const CLI = new URL('../profile/check-profile.cli.ts', import.meta.url).pathname;
const PROFILE_A = new URL('../../../profiles/erp-simulator.json', import.meta.url).pathname;
const PAGES = new URL('../../../test/fixtures/pages/layout-a/', import.meta.url).pathname;

async function check(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', CLI, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

// Each case starts tsx once or more: slow on a loaded machine, whatever the code does.
describe('profile:check --page', { timeout: 120_000 }, () => {
  it('reads a saved page and its side JSON, one line per field and cell, exit 0', async () => {
    const truth = JSON.parse(readFileSync(join(PAGES, 'os-1002.truth.json'), 'utf8')) as {
      cliente_nome: string;
      itens: unknown[];
    };
    const { code, stdout } = await check(
      '--page',
      join(PAGES, 'os-1002.page'),
      '--number',
      '1002',
      '--side',
      `itens=${join(PAGES, 'os-1002.itens.json')}`,
      PROFILE_A,
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(
      new RegExp(
        `ok +cliente_nome +${JSON.stringify(truth.cliente_nome).replace(/[.]/g, '\\.')} +← selector "#cli_nome"`,
      ),
    );
    expect(stdout).toContain(`table itens: ${truth.itens.length} row(s) from json`);
    expect(stdout).toMatch(
      /empty\s+data_conclusao\s+selector "#dt_conclusao": the element is empty/,
    );
    expect(stdout.trim().endsWith('OK: every required value was read')).toBe(true);
  });

  it('names the selector that matched nothing and the text that did not parse; exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'page-check-'));
    const raw = JSON.parse(readFileSync(PROFILE_A, 'utf8')) as {
      fields: Record<string, unknown>[];
    };
    const telefone = raw.fields.find((f) => f.name === 'contato_telefone')!;
    telefone.selector = '#cli_fnoe'; // a typo in an optional field
    const nome = raw.fields.find((f) => f.name === 'cliente_nome')!;
    Object.assign(nome, { type: 'date', format: 'dd/MM/yyyy' });
    const profile = join(dir, 'typo.json');
    writeFileSync(profile, JSON.stringify(raw));
    const { code, stdout } = await check(
      '--page',
      join(PAGES, 'os-1002.page'),
      '--number',
      '1002',
      profile,
    );
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /empty\s+contato_telefone\s+selector "#cli_fnoe": matched nothing on the page/,
    );
    expect(stdout).toMatch(
      /INVALID cliente_nome\s+selector "#cli_nome": not a date \(dd\/MM\/yyyy\); text was "Padaria Concei/,
    );
    expect(stdout).toContain('missing required: cliente_nome, itens');
  });

  it('classifies with the status the page was served with; usage errors exit 2', async () => {
    const notFound = await check(
      '--page',
      join(PAGES, 'not-found.page'),
      '--number',
      '1051',
      PROFILE_A,
    );
    expect(notFound.stdout).toContain(
      'the page is "not found": not_found matched by selector "#os-nao-encontrada"',
    );
    expect(notFound.code).toBe(1);
    expect(await check('--page', 'x.html', PROFILE_A)).toMatchObject({ code: 2 });
    expect((await check('--page', 'x.html', '--number', 'abc', PROFILE_A)).stdout).toContain(
      '--number abc: does not match os_number_pattern',
    );
  });
});
