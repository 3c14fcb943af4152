import { describe, expect, it } from 'vitest';
import { loadProfile } from './profile-loader.js';
import { validateProfile } from './profile-validator.js';

/** The keys the browser engine reads: login.mode, paths, wait_for.selectors/settle_ms. */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SHIPPED = {
  a: new URL('../../../profiles/erp-simulator.json', import.meta.url).pathname,
  c: new URL('../../../profiles/erp-simulator-c.json', import.meta.url).pathname,
};

function shipped(layout: 'a' | 'c'): Json {
  return JSON.parse(JSON.stringify(loadProfile(SHIPPED[layout]))) as Json;
}

function errorsOf(layout: 'a' | 'c', edit: (profile: Json) => void): string[] {
  const raw = shipped(layout);
  edit(raw);
  return validateProfile(raw).errors;
}

describe('browser engine keys of a profile', () => {
  it('accepts the script-only profile and defaults login.mode to auto', () => {
    expect(validateProfile(shipped('c')).errors).toEqual([]);
    const raw = shipped('a');
    delete raw.login.mode;
    expect(validateProfile(raw).profile?.login.mode).toBe('auto');
  });

  it.each([
    ['password_field', 'login.password_field: must be a non-empty string'],
    ['username_field', 'login.username_field: must be a non-empty string'],
    ['form_selector', 'login.form_selector: must be a non-empty string'],
  ])('a browser login without %s fails naming the key', (key, expected) => {
    expect(
      errorsOf('c', (p) => {
        p.login.mode = 'browser';
        delete p.login[key];
      }),
    ).toEqual([expected]);
  });

  it('rejects an unknown login mode and cheerio-only selectors a browser login would use', () => {
    expect(errorsOf('c', (p) => (p.login.mode = 'selenium'))).toEqual([
      'login.mode: must be one of: http, browser, auto',
    ]);
    expect(
      errorsOf('c', (p) => (p.login.failure.selectors = ['span:contains("inválidos")'])),
    ).toEqual([
      'login.failure.selectors[0]: a browser uses this selector; ":contains" works only in cheerio',
    ]);
    // Over plain HTTP only cheerio reads them: allowed.
    expect(
      errorsOf('c', (p) => {
        p.login.mode = 'http';
        p.login.failure.selectors = ['span:contains("inválidos")'];
      }),
    ).toEqual([]);
  });

  it('submit_selector is optional: the browser presses Enter', () => {
    expect(errorsOf('c', (p) => delete p.login.submit_selector)).toEqual([]);
  });

  it('checks paths', () => {
    expect(errorsOf('a', (p) => (p.paths = ['browser', 'robust']))).toEqual([]);
    expect(errorsOf('a', (p) => (p.paths = []))).toEqual(['paths: must list at least one path']);
    expect(errorsOf('a', (p) => (p.paths = ['browser', 'chrome']))).toEqual([
      'paths: each value must be one of: http, browser, robust',
    ]);
    expect(errorsOf('a', (p) => (p.paths = ['http', 'http']))).toEqual([
      'paths[1]: "http" is listed twice',
    ]);
  });

  it('checks wait_for: selector or selectors, settle_ms bounds, browser-safe selectors', () => {
    expect(errorsOf('a', (p) => (p.wait_for = { timeout_ms: 100 }))).toEqual([
      'wait_for: must have selector or selectors',
    ]);
    expect(errorsOf('c', (p) => (p.wait_for.settle_ms = -1))).toEqual([
      'wait_for.settle_ms: must be at least 0',
    ]);
    expect(errorsOf('c', (p) => (p.wait_for.selectors = ['td:eq(1)']))).toEqual([
      'wait_for.selectors[0]: a browser uses this selector; ":eq" works only in cheerio',
    ]);
    expect(errorsOf('c', (p) => (p.wait_for.selectors = []))).toEqual([
      'wait_for.selectors: must list at least one selector',
    ]);
  });

  it('a search submit_selector needs the form it belongs to', () => {
    expect(errorsOf('c', (p) => delete p.lookup.form_selector)).toEqual([
      'lookup.form_selector: is required with lookup.submit_selector (the browser fills that form)',
    ]);
  });
});
