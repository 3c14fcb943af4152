import { describe, expect, it } from 'vitest';
import { globToRegExp, isBlockedRequest } from './browser-block-rules.js';
import { loadProfile } from './profile-loader.js';

describe('globToRegExp', () => {
  it.each([
    ['**/third-party/**', 'http://127.0.0.1:4010/third-party/analytics.js', true],
    ['**/third-party/**', 'http://127.0.0.1:4010/os/third-party.js', false],
    ['**/*.png', 'http://h/static/img/a.png', true],
    ['**/*.png', 'http://h/static/img/a.png?v=2', false],
    ['http://h/*.css', 'http://h/a.css', true],
    ['http://h/*.css', 'http://h/css/a.css', false],
    ['**/*.{woff,woff2}', 'http://h/f/x.woff2', true],
    ['**/file?.js', 'http://h/file1.js', true],
    ['**/a.b', 'http://h/aXb', false],
  ])('%s against %s → %s', (glob, url, expected) => {
    expect(globToRegExp(glob).test(url)).toBe(expected);
  });
});

describe('isBlockedRequest with the shipped profiles', () => {
  const a = loadProfile(new URL('../../../profiles/erp-simulator.json', import.meta.url).pathname);
  const b = loadProfile(
    new URL('../../../profiles/erp-simulator-b.json', import.meta.url).pathname,
  );

  it.each(['image', 'font', 'media', 'stylesheet'])('blocks %s resources', (type) => {
    expect(isBlockedRequest(a, 'http://h/x', type)).toBe(true);
    expect(isBlockedRequest(b, 'http://h/x', type)).toBe(true);
  });

  it('blocks each layout’s analytics script and lets page scripts and XHR through', () => {
    expect(isBlockedRequest(a, 'http://h/third-party/analytics.js', 'script')).toBe(true);
    expect(isBlockedRequest(b, 'http://h/cdn-terceiros/metricas.js', 'script')).toBe(true);
    expect(isBlockedRequest(a, 'http://h/os/itens.json?id=1', 'xhr')).toBe(false);
    expect(isBlockedRequest(b, 'http://h/ordens/ficha?cod=1', 'document')).toBe(false);
  });
});
