import { describe, expect, it } from 'vitest';
import {
  FIXTURE_ORDERS,
  RENDERED_ORDERS,
  savedJson,
  savedPage,
  shippedProfile,
  type Layout,
} from '../../../test/fixtures/pages/saved-pages.js';
import { extractOrder } from './order-extractor.js';

const LAYOUTS: Layout[] = ['a', 'b'];

describe.each(LAYOUTS)('extractOrder on saved pages of layout %s', (layout) => {
  const profile = shippedProfile(layout);

  it.each(FIXTURE_ORDERS)(
    'OS %s: served HTML + JSON side response equals the truth',
    (osNumber) => {
      const result = extractOrder(savedPage(layout, `os-${osNumber}.page`), profile, {
        itens: savedJson(layout, `os-${osNumber}.itens.json`),
      });
      expect(result).toMatchObject({
        kind: 'ok',
        missing: [],
        invalid: [],
        tableSources: { itens: 'json' },
      });
      expect(result.kind === 'ok' && result.data).toStrictEqual(
        savedJson(layout, `os-${osNumber}.truth.json`),
      );
    },
  );

  it.each(RENDERED_ORDERS)('OS %s: Chromium-rendered HTML alone equals the truth', (osNumber) => {
    const result = extractOrder(savedPage(layout, `os-${osNumber}.rendered.page`), profile);
    expect(result).toMatchObject({
      kind: 'ok',
      missing: [],
      invalid: [],
      tableSources: { itens: 'html' },
    });
    expect(result.kind === 'ok' && result.data).toStrictEqual(
      savedJson(layout, `os-${osNumber}.truth.json`),
    );
  });

  it('a windows-1252 page, once decoded, gives the same record', () => {
    const result = extractOrder(savedPage(layout, 'os-1065.cp1252.page'), profile, {
      itens: savedJson(layout, 'os-1065.itens.json'),
    });
    expect(result.kind === 'ok' && result.data).toStrictEqual(
      savedJson(layout, 'os-1065.truth.json'),
    );
  });

  it('prefers rows already in the HTML over the side response', () => {
    const result = extractOrder(savedPage(layout, 'os-1038.rendered.page'), profile, {
      itens: savedJson(layout, 'os-1065.itens.json'),
    });
    expect(result.kind === 'ok' && result.data.itens).toStrictEqual(
      (savedJson(layout, 'os-1038.truth.json') as { itens: unknown }).itens,
    );
  });

  it('without HTML rows nor side response, the required table is missing', () => {
    const result = extractOrder(savedPage(layout, 'os-1002.page'), profile);
    expect(result).toMatchObject({
      kind: 'ok',
      missing: ['itens'],
      tableSources: { itens: 'none' },
    });
    expect(result.kind === 'ok' && result.data.itens).toEqual([]);
  });

  it('a side response without the rows array marks the table invalid and missing', () => {
    const result = extractOrder(savedPage(layout, 'os-1002.page'), profile, {
      itens: { erro: 'x' },
    });
    expect(result).toMatchObject({ kind: 'ok', missing: ['itens'], invalid: ['itens'] });
  });

  it('tells "not found" pages apart', () => {
    expect(extractOrder(savedPage(layout, 'not-found.page'), profile)).toEqual({
      kind: 'not_found',
    });
  });

  it('tells expired-session and login pages apart (both mean: log in again)', () => {
    expect(extractOrder(savedPage(layout, 'session-expired.page'), profile)).toEqual({
      kind: 'session_expired',
    });
    expect(extractOrder(savedPage(layout, 'login.page'), profile)).toEqual({
      kind: 'session_expired',
    });
  });

  it('an unrelated page yields only missing required fields, not a record', () => {
    const result = extractOrder(savedPage(layout, 'home.page'), profile);
    expect(result.kind).toBe('ok');
    const required = profile.fields.filter((f) => f.required).map((f) => f.name);
    expect(result.kind === 'ok' && result.missing).toEqual([...required, 'itens']);
  });
});

describe('extractOrder with damaged pages (layout a)', () => {
  const profile = shippedProfile('a');
  const page = savedPage('a', 'os-1038.rendered.page');
  const truth = savedJson('a', 'os-1038.truth.json') as Record<string, unknown>;

  it('a removed required field is listed as missing and read as null', () => {
    const damaged = page.replace(/<td id="cli_cnpj"[^>]*>[^<]*<\/td>/, '');
    const result = extractOrder(damaged, profile);
    expect(result).toMatchObject({ kind: 'ok', missing: ['cliente_cnpj'], invalid: [] });
    expect(result.kind === 'ok' && result.data).toStrictEqual({ ...truth, cliente_cnpj: null });
  });

  it('a removed optional field is null but not missing', () => {
    const damaged = page.replace(/<td id="eqp_marca"[^>]*>[^<]*<\/td>/, '');
    const result = extractOrder(damaged, profile);
    expect(result).toMatchObject({ kind: 'ok', missing: [], data: { equipamento_marca: null } });
  });

  it('an unparseable required value is both invalid and missing', () => {
    const damaged = page.replace(/(<td id="dt_abertura"[^>]*>)[^<]*/, '$131/02/2024');
    const result = extractOrder(damaged, profile);
    expect(result).toMatchObject({
      kind: 'ok',
      missing: ['data_abertura'],
      invalid: ['data_abertura'],
    });
  });

  it('an enum value outside the list is invalid', () => {
    const damaged = page.replace(/(<td id="os_status"[^>]*>)[^<]*/, '$1Arquivada');
    const result = extractOrder(damaged, profile);
    expect(result).toMatchObject({ kind: 'ok', missing: ['status'], invalid: ['status'] });
  });

  it('a required column empty in one row is reported with its row', () => {
    const damaged = page.replace(
      /(<tr class="par"><td>[^<]*<\/td><td>[^<]*<\/td><td align="right">)\d+/,
      '$1',
    );
    const result = extractOrder(damaged, profile);
    expect(result).toMatchObject({ kind: 'ok', missing: ['itens[1].quantidade'] });
  });

  it('matches enum values regardless of case and accents, returning the listed spelling', () => {
    const damaged = page.replace(/(<td id="os_status"[^>]*>)[^<]*/, '$1CONCLUIDA');
    const result = extractOrder(damaged, profile);
    expect(result.kind === 'ok' && result.data.status).toBe('Concluída');
  });
});
