import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProfile, parseProfile } from './profile-loader.js';
import { ProfileValidationError } from './profile-validation.error.js';
import { validateProfile } from './profile-validator.js';
import { FieldSpec, SearchLookup, TargetProfile, UrlLookup } from './target-profile.js';

const SHIPPED = {
  a: new URL('../../../profiles/erp-simulator.json', import.meta.url).pathname,
  b: new URL('../../../profiles/erp-simulator-b.json', import.meta.url).pathname,
};

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function shipped(layout: 'a' | 'b'): Json {
  return JSON.parse(JSON.stringify(loadProfile(SHIPPED[layout]))) as Json;
}

/** Each case breaks one thing in a shipped profile and names the line that must report it. */
const BROKEN: [string, 'a' | 'b', (p: Json) => void, string][] = [
  [
    'empty selector',
    'a',
    (p) => (p.fields[3].selector = ''),
    'fields[3].selector: must be a non-empty string',
  ],
  [
    'missing selector',
    'a',
    (p) => delete p.fields[3].selector,
    'fields[3].selector: must be a non-empty string',
  ],
  [
    'bad selector',
    'a',
    (p) => (p.fields[0].selector = 'td[['),
    'fields[0].selector: is not a valid CSS selector',
  ],
  [
    'unknown type',
    'a',
    (p) => (p.fields[1].type = 'money'),
    'fields[1].type: must be one of: string, integer, decimal, money_brl, date_br, enum',
  ],
  [
    'enum without values',
    'a',
    (p) => delete p.fields[8].enum_values,
    'fields[8].enum_values: must be a non-empty array of strings when type is "enum"',
  ],
  [
    'enum with no values',
    'a',
    (p) => (p.fields[8].enum_values = []),
    'fields[8].enum_values: must list at least one value',
  ],
  [
    'enum values on a string',
    'a',
    (p) => (p.fields[1].enum_values = ['x']),
    'fields[1].enum_values: only allowed when type is "enum"',
  ],
  [
    'attribute source without attribute',
    'a',
    (p) => (p.fields[0].source = 'attribute'),
    'fields[0].attribute: must be a non-empty string when source is "attribute"',
  ],
  [
    'attribute with text source',
    'a',
    (p) => (p.fields[0].attribute = 'value'),
    'fields[0].attribute: only allowed when source is "attribute"',
  ],
  [
    'unknown source',
    'a',
    (p) => (p.fields[0].source = 'html'),
    'fields[0].source: must be one of: text, attribute',
  ],
  [
    'broken regex',
    'a',
    (p) => (p.fields[0].regex = '('),
    'fields[0].regex: is not a valid regular expression',
  ],
  [
    'regex without group',
    'a',
    (p) => (p.fields[0].regex = '\\d+'),
    'fields[0].regex: must contain a capture group, e.g. "Total: (.+)"',
  ],
  [
    'bad field name',
    'a',
    (p) => (p.fields[0].name = 'OS Number'),
    'fields[0].name: must be snake_case: a lowercase letter, then lowercase letters, digits or _',
  ],
  [
    'duplicate field name',
    'a',
    (p) => (p.fields[2].name = 'os_number'),
    'fields[2].name: duplicate name "os_number"',
  ],
  [
    'required not boolean',
    'a',
    (p) => (p.fields[0].required = 'yes'),
    'fields[0].required: must be true or false',
  ],
  [
    'typo in a key',
    'a',
    (p) => (p.fields[0].selecter = '#x'),
    'fields[0].selecter: is not a known property',
  ],
  ['no fields', 'a', (p) => (p.fields = []), 'fields: must list at least one field'],
  ['fields not an array', 'a', (p) => (p.fields = 'os_number'), 'fields: must be an array'],
  ['field not an object', 'a', (p) => (p.fields[0] = 5), 'fields[0]: must be an object'],
  [
    'non-http base_url',
    'a',
    (p) => (p.base_url = 'ftp://erp.local'),
    'base_url: must be an http(s) URL',
  ],
  ['missing base_url', 'a', (p) => delete p.base_url, 'base_url: must be a non-empty string'],
  [
    'unanchored OS pattern',
    'a',
    (p) => (p.os_number_pattern = '[0-9]+'),
    'os_number_pattern: must be anchored with ^ and $',
  ],
  [
    'broken OS pattern',
    'a',
    (p) => (p.os_number_pattern = '^[0-9$'),
    'os_number_pattern: is not a valid regular expression',
  ],
  [
    'unknown charset',
    'a',
    (p) => (p.default_charset = 'latin9'),
    'default_charset: must be one of: utf-8, windows-1252, iso-8859-1',
  ],
  ['missing login', 'a', (p) => delete p.login, 'login: is required'],
  ['login not an object', 'a', (p) => (p.login = '/login'), 'login: must be an object'],
  [
    'empty form selector',
    'a',
    (p) => (p.login.form_selector = ''),
    'login.form_selector: must be a non-empty string',
  ],
  [
    'login url elsewhere',
    'a',
    (p) => (p.login.url = 'http://evil.example/login'),
    'login.url: must be a path starting with "/"',
  ],
  [
    'empty success pattern',
    'a',
    (p) => (p.login.success = {}),
    'login.success: must have at least one selector or text pattern',
  ],
  [
    'broken text pattern',
    'a',
    (p) => (p.login.session_expired.text_patterns = ['([']),
    'login.session_expired.text_patterns[0]: is not a valid regular expression',
  ],
  ['missing login_page', 'a', (p) => delete p.login.login_page, 'login.login_page: is required'],
  [
    'cheerio-only submit selector',
    'a',
    (p) => (p.login.submit_selector = 'input:contains("Entrar")'),
    'login.submit_selector: a browser uses this selector; ":contains" works only in cheerio',
  ],
  [
    'password in the file',
    'a',
    (p) => (p.login.password = 'demo'),
    'login.password: is not a known property (credentials never go in the profile: set TARGET_USERNAME and TARGET_PASSWORD)',
  ],
  [
    'unknown lookup mode',
    'a',
    (p) => (p.lookup.mode = 'form'),
    'lookup.mode: must be one of: url, search',
  ],
  [
    'url template without number',
    'a',
    (p) => (p.lookup.url_template = '/os/detalhe'),
    'lookup.url_template: must contain {os_number}',
  ],
  [
    'url template with other variable',
    'a',
    (p) => (p.lookup.url_template = '/os/{os_number}/{tipo}'),
    'lookup.url_template: unknown variable {tipo} (only {os_number})',
  ],
  ['missing lookup', 'a', (p) => delete p.lookup, 'lookup: is required'],
  [
    'search without link selector',
    'b',
    (p) => delete p.lookup.result_link_selector,
    'lookup.result_link_selector: must be a non-empty string',
  ],
  [
    'search with PUT',
    'b',
    (p) => (p.lookup.method = 'PUT'),
    'lookup.method: must be one of: GET, POST',
  ],
  [
    'search extra fields not strings',
    'b',
    (p) => (p.lookup.extra_fields = { acao: 1 }),
    'lookup.extra_fields: must be an object whose values are strings',
  ],
  [
    'url key in a search lookup',
    'b',
    (p) => (p.lookup.url_template = '/x/{os_number}'),
    'lookup.url_template: is not a known property',
  ],
  [
    'empty not_found',
    'a',
    (p) => (p.not_found = { selectors: [] }),
    'not_found: must have at least one selector or text pattern',
  ],
  [
    'empty row selector',
    'a',
    (p) => (p.tables[0].row_selector = ''),
    'tables[0].row_selector: must be a non-empty string',
  ],
  [
    'bad column type',
    'a',
    (p) => (p.tables[0].columns[2].type = 'float'),
    'tables[0].columns[2].type: must be one of: string, integer, decimal, money_brl, date_br, enum',
  ],
  [
    'column without json_key',
    'a',
    (p) => delete p.tables[0].columns[1].json_key,
    'tables[0].columns[1].json_key: is required when the table has a json_fallback',
  ],
  [
    'fallback to unknown request',
    'a',
    (p) => (p.tables[0].json_fallback.side_request = 'nope'),
    'tables[0].json_fallback.side_request: no side request named "nope"',
  ],
  [
    'bad rows path',
    'a',
    (p) => (p.tables[0].json_fallback.rows_path = 'a..b'),
    'tables[0].json_fallback.rows_path: must be a dotted path such as "dados.linhas"',
  ],
  [
    'table named like a field',
    'a',
    (p) => (p.tables[0].name = 'status'),
    'tables[0].name: duplicate name "status"',
  ],
  [
    'table without columns',
    'a',
    (p) => (p.tables[0].columns = []),
    'tables[0].columns: must list at least one column',
  ],
  [
    'side request with unknown variable',
    'a',
    (p) => (p.side_requests[0].url_template = '/x?id={codigo}'),
    'side_requests[0].url_template: unknown variable {codigo}',
  ],
  [
    'side request with DELETE',
    'a',
    (p) => (p.side_requests[0].method = 'DELETE'),
    'side_requests[0].method: must be one of: GET, POST',
  ],
  [
    'side request to another host',
    'a',
    (p) => (p.side_requests[0].url_template = '//evil.example/x'),
    'side_requests[0].url_template: must be a path starting with "/"',
  ],
  [
    'page variable with nothing to read',
    'a',
    (p) => (p.page_variables[0] = { name: 'detail_id' }),
    'page_variables[0]: must have a selector, a regex or both',
  ],
  [
    'unknown resource type',
    'a',
    (p) => (p.block.resource_types = ['images']),
    'block.resource_types: each value must be one of: document, stylesheet, image, media, font, script, texttrack, xhr, fetch, eventsource, websocket, manifest, other',
  ],
  [
    'cheerio-only wait_for',
    'b',
    (p) => (p.wait_for.selector = 'dt:contains("CNPJ")'),
    'wait_for.selector: a browser uses this selector; ":contains" works only in cheerio',
  ],
  [
    'zero wait timeout',
    'a',
    (p) => (p.wait_for.timeout_ms = 0),
    'wait_for.timeout_ms: must be at least 1',
  ],
  [
    'timeout not a number',
    'a',
    (p) => (p.timeouts.navigation_ms = 'fast'),
    'timeouts.navigation_ms: must be an integer (milliseconds)',
  ],
  [
    'empty selector in a list',
    'b',
    (p) => (p.not_found.selectors = ['.sem-resultado', '']),
    'not_found.selectors[1]: must be a non-empty string',
  ],
  ['unknown top-level key', 'a', (p) => (p.extra = true), 'extra: is not a known property'],
];

describe('validateProfile', () => {
  it.each(['a', 'b'] as const)('accepts the shipped profile of layout %s', (layout) => {
    const { profile, errors } = validateProfile(shipped(layout));
    expect(errors).toEqual([]);
    expect(profile).toBeInstanceOf(TargetProfile);
    expect(profile?.lookup).toBeInstanceOf(layout === 'a' ? UrlLookup : SearchLookup);
  });

  it.each(BROKEN)('rejects %s (layout %s)', (_name, layout, breakIt, expected) => {
    const raw = shipped(layout);
    breakIt(raw);
    const { profile, errors } = validateProfile(raw);
    expect(profile).toBeUndefined();
    // The expected text starts the line; some lines go on with details (the parser's message).
    expect(errors).toContainEqual(expect.stringMatching(new RegExp(`^${escapeRegExp(expected)}`)));
  });

  it('reports one line for one mistake', () => {
    const raw = shipped('a');
    raw.lookup.mode = 'form';
    raw.fields[3].selector = '';
    expect(validateProfile(raw).errors.sort()).toEqual([
      'fields[3].selector: must be a non-empty string',
      'lookup.mode: must be one of: url, search',
    ]);
  });

  it('lists every problem of a file at once', () => {
    const raw = shipped('a');
    raw.fields[3].selector = '';
    raw.tables[0].json_fallback.side_request = 'nope';
    delete raw.base_url;
    expect(validateProfile(raw).errors).toHaveLength(3);
  });

  it.each([null, [], 'x', 3])('rejects a root that is not an object: %j', (raw) => {
    expect(validateProfile(raw).errors).toEqual(['(root): must be a JSON object']);
  });

  it('applies defaults for omitted optional keys', () => {
    const raw = shipped('a');
    delete raw.fields[0].required;
    delete raw.fields[0].source;
    delete raw.side_requests[0].method;
    delete raw.block;
    const { profile } = validateProfile(raw);
    expect(profile?.fields[0]).toBeInstanceOf(FieldSpec);
    expect(profile?.fields[0]).toMatchObject({ required: false, source: 'text' });
    expect(profile?.side_requests[0].method).toBe('GET');
    expect(profile?.block).toEqual({ resource_types: [], url_patterns: [] });
  });
});

describe('loadProfile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'profile-'));

  it('throws ProfileValidationError with every line', () => {
    const raw = shipped('b');
    raw.fields[0].selector = '';
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(raw));
    try {
      loadProfile(file);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ProfileValidationError);
      expect((error as ProfileValidationError).errors).toEqual([
        'fields[0].selector: must be a non-empty string',
      ]);
      expect((error as Error).message).toContain('fields[0].selector: must be a non-empty string');
    }
  });

  it('reports invalid JSON and unreadable files the same way', () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{ "name": ');
    expect(() => loadProfile(file)).toThrow(/\(root\): not valid JSON/);
    expect(() => loadProfile(join(dir, 'absent.json'))).toThrow(ProfileValidationError);
  });

  it('takes base_url overrides and validates them', () => {
    expect(loadProfile(SHIPPED.a, { base_url: 'http://127.0.0.1:5555' }).base_url).toBe(
      'http://127.0.0.1:5555',
    );
    expect(() => parseProfile(JSON.stringify(shipped('a')), 'x', { base_url: 'nope' })).toThrow(
      /base_url/,
    );
  });
});
