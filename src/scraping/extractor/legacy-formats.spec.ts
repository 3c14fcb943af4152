import { describe, expect, it } from 'vitest';
import {
  legacyPage,
  legacyProfileJson,
} from '../../../test/fixtures/pages/legacy-formats/legacy-pages.js';
import { validateProfile } from '../profile/profile-validator.js';
import type { TargetProfile } from '../profile/target-profile.js';
import { extractOrder } from './order-extractor.js';
import { classifyPage, explainPage } from './page-classifier.js';

function profileWith(fields: unknown[]): TargetProfile {
  const { profile, errors } = validateProfile(legacyProfileJson({ fields }));
  expect(errors).toEqual([]);
  return profile!;
}

function read(page: string, fields: unknown[]): Record<string, unknown> {
  const result = extractOrder(legacyPage(page), profileWith(fields));
  if (result.kind !== 'ok') throw new Error(`page is ${result.kind}`);
  return result.data;
}

describe('page patterns with HTTP status and URL', () => {
  const profile = profileWith([{ name: 'x', selector: '#x', type: 'string' }]);
  const plain = '<html><body><p>Erro</p></body></html>';

  it('404 is not found and 403 forbidden, whatever the page says', () => {
    expect(classifyPage(plain, profile, { status: 404 })).toBe('not_found');
    expect(classifyPage(plain, profile, { status: 403 })).toBe('forbidden');
    expect(extractOrder(plain, profile, {}, { status: 403 })).toEqual({ kind: 'forbidden' });
    expect(extractOrder(plain, profile, {}, { status: 404 })).toEqual({ kind: 'not_found' });
  });

  it('a forbidden page is also told by its selectors on a 200', () => {
    expect(
      classifyPage('<body><div class="acesso-negado">Sem permissão</div></body>', profile),
    ).toBe('forbidden');
  });

  it('a redirect to the login URL means the session ended', () => {
    expect(classifyPage(plain, profile, { url: 'https://erp.example.com/login' })).toBe(
      'login_page',
    );
    expect(
      extractOrder(
        plain,
        profile,
        {},
        { status: 200, url: 'https://erp.example.com/login?expirou=1' },
      ),
    ).toEqual({ kind: 'session_expired' });
    expect(classifyPage(plain, profile, { status: 200, url: 'https://erp.example.com/os/1' })).toBe(
      'ok',
    );
  });

  it('explains which pattern classified a page', () => {
    expect(explainPage(plain, profile, { status: 403 })).toEqual({
      kind: 'forbidden',
      pattern: 'forbidden',
      by: 'status 403',
    });
    expect(explainPage(plain, profile, { url: 'https://erp.example.com/login' })).toEqual({
      kind: 'login_page',
      pattern: 'login.login_page',
      by: 'url_pattern /\\/login(\\?|$)/',
    });
    expect(explainPage('<body><p id="nao-encontrada"></p></body>', profile)).toEqual({
      kind: 'not_found',
      pattern: 'not_found',
      by: 'selector "#nao-encontrada"',
    });
    expect(explainPage(plain, profile)).toEqual({ kind: 'ok' });
  });

  it('without a status or URL, only selectors and texts decide (the same page on both paths)', () => {
    expect(classifyPage(plain, profile)).toBe('ok');
  });
});

describe('values read by label', () => {
  it('th → td in the same row, dt → dd, label[for], label around a control, next sibling', () => {
    const data = read('grid.page', [
      { name: 'numero', label: 'Número', type: 'string', regex: 'OS-(\\d+)' },
      { name: 'cliente', label: 'Cliente', type: 'string' },
      { name: 'cliente_final', label: 'cliente final', type: 'string' },
      { name: 'marca', label: 'Marca', type: 'string' },
      { name: 'serie', label_pattern: '^S[ée]rie:?$', type: 'string' },
      { name: 'contato', label: 'Contato', type: 'string' },
      { name: 'setor', label: 'Setor', type: 'string' },
      { name: 'garantia', label: 'Garantia', type: 'string' },
    ]);
    expect(data).toEqual({
      numero: '4521',
      cliente: 'Padaria Pão & Mel ME',
      cliente_final: 'Consumidor',
      marca: 'Bosch',
      serie: 'SN 88-12',
      contato: 'Maria (11) 5555-0101',
      setor: 'Campo',
      garantia: 'Sim',
    });
  });

  it('a header row gives the cell at the same column of the next row (colspan counted)', () => {
    const data = read('grid.page', [
      { name: 'tecnico', label: 'Técnico', type: 'string' },
      { name: 'situacao', label: 'Situação', type: 'string' },
      { name: 'prioridade', label: 'Prioridade', type: 'string', selector: 'table.resumo' },
    ]);
    expect(data).toEqual({ tecnico: 'Ana', situacao: 'Em andamento', prioridade: 'Alta' });
  });

  it('a label scoped by selector is looked for only under it; an unknown label is empty', () => {
    const result = extractOrder(
      legacyPage('grid.page'),
      profileWith([
        { name: 'marca', label: 'Marca', selector: 'table.cabecalho', type: 'string' },
        { name: 'nada', label: 'Inexistente', type: 'string', required: true },
      ]),
    );
    expect(result).toMatchObject({ data: { marca: null, nada: null }, missing: ['nada'] });
  });
});

describe('values embedded in scripts', () => {
  it('reads a JSON script block and a JavaScript object literal, never running them', () => {
    const data = read('embedded.page', [
      {
        name: 'numero',
        script: { selector: 'script#dados-os', path: 'os.numero' },
        type: 'string',
      },
      {
        name: 'cliente',
        script: { selector: 'script[type="application/json"]', path: 'os.cliente.nome' },
        type: 'string',
      },
      {
        name: 'abertura',
        script: { path: 'os.abertura', selector: '#dados-os' },
        type: 'date',
        format: 'yyyy-MM-dd',
      },
      {
        name: 'item_valor',
        script: { selector: '#dados-os', path: 'os.itens[0].valor' },
        type: 'decimal',
      },
      {
        name: 'situacao',
        script: { variable: 'osData', path: 'situacao' },
        type: 'enum',
        enum_values: ['Aberta', 'Concluída'],
      },
      {
        name: 'valor_total',
        script: { variable: 'osData', path: 'valor_total' },
        type: 'money_brl',
      },
      { name: 'tecnico', script: { variable: 'osData', path: 'tecnico.nome' }, type: 'string' },
      { name: 'obs', script: { variable: 'osData', path: 'obs' }, type: 'string' },
      { name: 'tema', script: { variable: 'App.config', path: 'tema' }, type: 'string' },
    ]);
    expect(data).toEqual({
      numero: '7781',
      cliente: "Metalúrgica D'Ávila Ltda.",
      abertura: '2025-02-03',
      item_valor: 35.5,
      situacao: 'Concluída',
      valor_total: 1250.5,
      tecnico: 'José "Zé" Souza',
      obs: 'linha 1\nlinha 2',
      tema: 'escuro',
    });
  });

  it('reads table rows from script data when the HTML has none', () => {
    const { profile, errors } = validateProfile(
      legacyProfileJson({
        fields: [{ name: 'x', selector: '#app', type: 'string' }],
        tables: [
          {
            name: 'itens',
            row_selector: '#itens tbody tr',
            required: true,
            script: { selector: '#dados-os', path: 'os.itens' },
            columns: [
              { name: 'ref', selector: 'td:nth-child(1)', type: 'string', required: true },
              { name: 'preco', selector: 'td:nth-child(2)', json_key: 'valor', type: 'money_brl' },
            ],
          },
        ],
      }),
    );
    expect(errors).toEqual([]);
    const result = extractOrder(legacyPage('embedded.page'), profile!, {}, { diagnostics: true });
    expect(result).toMatchObject({
      data: { itens: [{ ref: 'F-12', preco: 35.5 }] },
      missing: [],
      tableSources: { itens: 'script' },
    });
    const empty = extractOrder(legacyPage('grid.page'), profile!, {}, { diagnostics: true });
    expect(empty).toMatchObject({ missing: ['itens'], tableSources: { itens: 'none' } });
    expect(empty.kind === 'ok' && empty.diagnostics?.tables[0]?.reason).toBe(
      'row_selector matched nothing and script #dados-os → os.itens gave no rows',
    );
  });

  it('a variable assigned an expression is not found (it would need running the script)', () => {
    const result = extractOrder(
      legacyPage('embedded.page'),
      profileWith([
        { name: 't', script: { variable: 'tentativa' }, type: 'string', required: true },
      ]),
      {},
      { diagnostics: true },
    );
    expect(result).toMatchObject({ missing: ['t'] });
    expect(result.kind === 'ok' && result.diagnostics?.fields[0]).toMatchObject({
      state: 'empty',
      reason: 'no script assigns the variable a literal',
    });
  });
});

describe('formats', () => {
  it('dates with a format, numbers with explicit separators', () => {
    const data = read('grid.page', [
      { name: 'abertura', label: 'Abertura', type: 'date', format: 'dd/MM/yyyy HH:mm' },
      { name: 'previsao', label: 'Previsão', type: 'date', format: 'MM/dd/yyyy' },
      {
        name: 'valor',
        label: 'Valor',
        type: 'decimal',
        regex: '([\\d.,]+)',
        decimal_separator: '.',
        thousands_separator: ',',
      },
      {
        name: 'peso',
        label: 'Peso (kg)',
        type: 'decimal',
        decimal_separator: ',',
        thousands_separator: ' ',
      },
    ]);
    expect(data).toEqual({
      abertura: '2025-02-03T14:20',
      previsao: '2025-02-14',
      valor: 1250.5,
      peso: 1234.5,
    });
  });

  it('a date that does not fit its format is invalid, and diagnostics say which text', () => {
    const result = extractOrder(
      legacyPage('grid.page'),
      profileWith([{ name: 'abertura', label: 'Abertura', type: 'date', format: 'yyyy-MM-dd' }]),
      {},
      { diagnostics: true },
    );
    expect(result).toMatchObject({ invalid: ['abertura'] });
    expect(result.kind === 'ok' && result.diagnostics?.fields[0]).toMatchObject({
      state: 'invalid',
      reason: 'not a date (yyyy-MM-dd)',
      text: '03/02/2025 14:20',
    });
  });
});

describe('text modes', () => {
  it('"lines" keeps line breaks and marks list items; "html" keeps safe markup only', () => {
    const data = read('grid.page', [
      { name: 'plain', selector: '#defeito', type: 'string' },
      { name: 'lines', selector: '#defeito', type: 'string', text_mode: 'lines' },
      { name: 'html', selector: '#defeito', type: 'string', text_mode: 'html' },
    ]);
    expect(data.plain).toBe(
      'Motor não liga.\nTrocar fusível\nTestar bobina\nPrimeiro\nSegundo\nlink anexo',
    );
    expect(data.lines).toBe(
      'Motor não liga.\n- Trocar fusível\n- Testar bobina\n1. Primeiro\n2. Segundo\nlink anexo',
    );
    expect(data.html).toBe(
      '<p>Motor não liga.</p><ul><li>Trocar fusível</li><li>Testar <b>bobina</b></li></ul><ol><li>Primeiro</li><li>Segundo</li></ol> <a>link</a> <a href="/os/4521/anexo">anexo</a>',
    );
  });
});

describe('what :contains matches', () => {
  it('a case-sensitive substring of the raw text content, script text included', () => {
    const profile = profileWith([
      { name: 'a', selector: 'th:contains("Cliente") + td', type: 'string' },
      { name: 'b', selector: 'th:contains("cliente") + td', type: 'string' },
      { name: 'c', selector: 'script:contains("Cliente")', type: 'string' },
    ]);
    const result = extractOrder(legacyPage('grid.page'), profile, {}, { diagnostics: true });
    // "Cliente" is also inside "Cliente final": the first match in document order wins.
    expect(result).toMatchObject({ data: { a: 'Padaria Pão & Mel ME', b: null } });
    expect(result.kind === 'ok' && result.diagnostics?.fields[2]).toMatchObject({
      state: 'empty',
      reason: 'the element is empty',
    });
  });
});
