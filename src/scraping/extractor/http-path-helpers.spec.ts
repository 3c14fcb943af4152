import { describe, expect, it } from 'vitest';
import { savedJson, savedPage, shippedProfile } from '../../../test/fixtures/pages/saved-pages.js';
import { parseProfile } from '../profile/profile-loader.js';
import { parseLoginForm } from './login-form-parser.js';
import { InvalidOsNumberError, buildLookupRequest, buildSideRequest } from './lookup-request.js';
import { extractPageVariables } from './page-variables.js';
import { parseSearchResult } from './search-result-parser.js';
import { MissingTemplateVariableError, resolveUrlTemplate } from './url-template.js';

const a = shippedProfile('a');
const b = shippedProfile('b');

describe('parseLoginForm', () => {
  it('layout a: absolute action, POST, the CSRF hidden input', () => {
    expect(parseLoginForm(savedPage('a', 'login.page'), a)).toEqual({
      action: 'http://127.0.0.1:4010/login',
      method: 'POST',
      hiddenFields: { _csrf: 'FIXTURE-CSRF' },
      usernameField: 'usuario',
      passwordField: 'senha',
    });
  });

  it('layout b: relative action resolved against the login page, every hidden input', () => {
    expect(parseLoginForm(savedPage('b', 'login.page'), b)).toEqual({
      action: 'http://127.0.0.1:4010/acesso/autenticar',
      method: 'POST',
      hiddenFields: { token_csrf: 'FIXTURE-CSRF', origem: 'portal' },
      usernameField: 'login',
      passwordField: 'senha',
    });
  });

  it('the expired-session page of layout b is a login form too; the home page is not', () => {
    expect(parseLoginForm(savedPage('b', 'session-expired.page'), b)?.hiddenFields.origem).toBe(
      'portal',
    );
    expect(parseLoginForm(savedPage('a', 'home.page'), a)).toBeNull();
  });
});

describe('extractPageVariables', () => {
  it('layout a reads the internal id from an attribute', () => {
    const vars = extractPageVariables(savedPage('a', 'os-1002.page'), a);
    expect(vars).toEqual({
      detail_id: String((savedJson('a', 'os-1002.itens.json') as { os_id: number }).os_id),
    });
  });

  it('layout b reads it with a regex over the inline script', () => {
    const vars = extractPageVariables(savedPage('b', 'os-1002.page'), b);
    const itens = savedJson('b', 'os-1002.itens.json') as { dados: { ordem: number } };
    expect(vars).toEqual({ detail_id: String(itens.dados.ordem) });
  });

  it('leaves out variables that are not on the page', () => {
    expect(extractPageVariables(savedPage('a', 'not-found.page'), a)).toEqual({});
  });
});

describe('resolveUrlTemplate', () => {
  it('URL-encodes every value', () => {
    expect(resolveUrlTemplate('/x?id={id}&n={n}', { id: 'a b&c/d', n: 7 })).toBe(
      '/x?id=a%20b%26c%2Fd&n=7',
    );
  });

  it('throws for a placeholder without value', () => {
    expect(() => resolveUrlTemplate('/x/{detail_id}', {})).toThrow(MissingTemplateVariableError);
  });
});

describe('buildLookupRequest', () => {
  it('url mode: GET of the template under base_url', () => {
    expect(buildLookupRequest(a, '1038')).toEqual({
      method: 'GET',
      url: 'http://127.0.0.1:4010/os/detalhe?numero=1038',
    });
  });

  it('search mode: POST of the search form', () => {
    expect(buildLookupRequest(b, '1038')).toEqual({
      method: 'POST',
      url: 'http://127.0.0.1:4010/ordens/pesquisa',
      form: { nr_os: '1038' },
    });
  });

  it.each(['', '12a', '1/../../admin', '12345678', ' 12', '1?x=1'])(
    'rejects %j, which does not match os_number_pattern',
    (osNumber) => {
      expect(() => buildLookupRequest(a, osNumber)).toThrow(InvalidOsNumberError);
    },
  );

  it('keeps a base_url path prefix', () => {
    const raw = JSON.parse(JSON.stringify(a)) as Record<string, unknown>;
    const prefixed = parseProfile(
      JSON.stringify({ ...raw, base_url: 'https://erp.example.com/legado/' }),
    );
    expect(buildLookupRequest(prefixed, '7').url).toBe(
      'https://erp.example.com/legado/os/detalhe?numero=7',
    );
  });
});

describe('buildSideRequest and parseSearchResult', () => {
  it('builds the items request from page variables', () => {
    expect(buildSideRequest(b, 'itens', { detail_id: '10000123' })).toEqual({
      method: 'GET',
      url: 'http://127.0.0.1:4010/ordens/ficha/itens?cod=10000123',
    });
  });

  it('finds the detail link of a search result, absolute', () => {
    expect(parseSearchResult(savedPage('b', 'search-1002.page'), b)).toMatch(
      /^http:\/\/127\.0\.0\.1:4010\/ordens\/ficha\?cod=\d+$/,
    );
  });

  it('returns null when the search found nothing, or the profile has no search', () => {
    expect(parseSearchResult(savedPage('b', 'not-found.page'), b)).toBeNull();
    expect(parseSearchResult(savedPage('a', 'os-1002.page'), a)).toBeNull();
  });
});
