import { describe, expect, it } from 'vitest';
import {
  savedPage,
  shippedProfile,
  type Layout,
} from '../../../test/fixtures/pages/saved-pages.js';
import { classifyPage, isLoggedInPage } from './page-classifier.js';

describe.each(['a', 'b'] as Layout[])('classifyPage, layout %s', (layout) => {
  const profile = shippedProfile(layout);

  it.each([
    ['os-1002.page', 'ok'],
    ['os-1065.rendered.page', 'ok'],
    ['home.page', 'ok'],
    ['not-found.page', 'not_found'],
    ['session-expired.page', 'session_expired'],
    ['login.page', 'login_page'],
  ])('%s is %s', (file, kind) => {
    expect(classifyPage(savedPage(layout, file), profile)).toBe(kind);
  });

  it('recognises the home page reached after login, and not the login page', () => {
    expect(isLoggedInPage(savedPage(layout, 'home.page'), profile)).toBe(true);
    expect(isLoggedInPage(savedPage(layout, 'login.page'), profile)).toBe(false);
    expect(isLoggedInPage(savedPage(layout, 'session-expired.page'), profile)).toBe(false);
  });

  it('accepts the success URL even when the page shows no marker', () => {
    const home = layout === 'a' ? 'http://erp/home' : 'http://erp/painel';
    expect(isLoggedInPage('<html><body>ok</body></html>', profile, home)).toBe(true);
    expect(isLoggedInPage('<html><body>ok</body></html>', profile, 'http://erp/outra')).toBe(false);
  });
});

describe('classifyPage, layout b only pages', () => {
  const profile = shippedProfile('b');

  it('a search result without matches and an unknown record are "not found"', () => {
    expect(classifyPage(savedPage('b', 'not-found.page'), profile)).toBe('not_found');
    expect(classifyPage(savedPage('b', 'record-missing.page'), profile)).toBe('not_found');
    expect(classifyPage(savedPage('b', 'search-1002.page'), profile)).toBe('ok');
  });

  it('text patterns work without selectors, case-insensitively', () => {
    expect(classifyPage('<html><body><p>SESSÃO EXPIRADA</p></body></html>', profile)).toBe(
      'session_expired',
    );
    expect(classifyPage('<html><body><p>Registro inexistente</p></body></html>', profile)).toBe(
      'not_found',
    );
  });
});
