import { describe, expect, it } from 'vitest';
import { legacyProfileJson } from '../../../test/fixtures/pages/legacy-formats/legacy-pages.js';
import { validateProfile } from './profile-validator.js';

function errorsOf(extra: Record<string, unknown>): string[] {
  return validateProfile(legacyProfileJson(extra)).errors;
}

const field = (spec: Record<string, unknown>) => ({
  fields: [{ name: 'x', type: 'string', ...spec }],
});

describe('profile keys for labels, script data, formats, text modes and statuses', () => {
  it('accepts every new key where it belongs', () => {
    expect(
      errorsOf({
        fields: [
          { name: 'a', label: 'Cliente', type: 'string', text_mode: 'lines' },
          { name: 'b', label_pattern: '^Cliente:?$', selector: 'table.dados', type: 'string' },
          {
            name: 'c',
            script: { selector: 'script#d', path: 'os.itens[0].valor' },
            type: 'decimal',
          },
          {
            name: 'd',
            script: { variable: 'App.os', path: 'abertura' },
            type: 'date',
            format: 'yyyy-MM-dd',
          },
          {
            name: 'e',
            selector: '#v',
            type: 'money_brl',
            decimal_separator: '.',
            thousands_separator: ',',
          },
          { name: 'f', selector: '#h', type: 'string', text_mode: 'html' },
        ],
        forbidden: { status_codes: [403] },
      }),
    ).toEqual([]);
  });

  it.each([
    [field({}), 'fields[0].selector: must be a non-empty string'],
    [field({ label: '' }), 'fields[0].label: must be a non-empty string'],
    [field({ label_pattern: '(' }), 'fields[0].label_pattern: is not a valid regular expression'],
    [
      field({ label: 'a', label_pattern: 'b' }),
      'fields[0].label_pattern: use either label or label_pattern, not both',
    ],
    [
      field({ script: { variable: 'var x' } }),
      'fields[0].script.variable: must be a JavaScript name',
    ],
    [field({ script: { path: 'a..b' } }), 'fields[0].script.path: must be a dotted path'],
    [
      field({ script: { selector: 'script[' } }),
      'fields[0].script.selector: is not a valid CSS selector',
    ],
    [field({ script: {}, selector: '#a' }), 'fields[0].selector: not used with script'],
    [field({ script: {}, extra: 1 }), 'fields[0].extra: is not a known property'],
    [
      { fields: [{ name: 'x', selector: '#a', type: 'date' }] },
      'fields[0].format: must be a date format',
    ],
    [
      { fields: [{ name: 'x', selector: '#a', type: 'date', format: 'dd/MM' }] },
      'fields[0].format: must contain yyyy',
    ],
    [
      field({ selector: '#a', format: 'dd/MM/yyyy' }),
      'fields[0].format: only allowed when type is "date"',
    ],
    [
      field({ selector: '#a', decimal_separator: ',' }),
      'fields[0].decimal_separator: only allowed when type is',
    ],
    [
      { fields: [{ name: 'x', selector: '#a', type: 'decimal', decimal_separator: ';' }] },
      'fields[0].decimal_separator: must be one of: ,, .',
    ],
    [
      {
        fields: [
          {
            name: 'x',
            selector: '#a',
            type: 'decimal',
            decimal_separator: ',',
            thousands_separator: ',',
          },
        ],
      },
      'fields[0].thousands_separator: must differ from decimal_separator',
    ],
    [
      { fields: [{ name: 'x', selector: '#a', type: 'integer', text_mode: 'html' }] },
      'fields[0].text_mode: only allowed when type is "string"',
    ],
    [
      field({ selector: '#a', text_mode: 'rich' }),
      'fields[0].text_mode: must be one of: text, lines, html',
    ],
    [
      { forbidden: { status_codes: [99] } },
      'forbidden.status_codes: each value must be an HTTP status (100-599)',
    ],
    [
      { forbidden: { status_codes: 403 } },
      'forbidden.status_codes: must be an array of HTTP statuses',
    ],
    [{ forbidden: {} }, 'forbidden: must have at least one selector or text pattern'],
    [
      { not_found: { url_pattern: '(' } },
      'not_found.url_pattern: is not a valid regular expression',
    ],
  ])('%j → %s', (extra, message) => {
    const base = { fields: [{ name: 'ok', selector: '#ok', type: 'string' }] };
    expect(errorsOf({ ...base, ...extra })).toContainEqual(expect.stringContaining(message));
  });

  it('table columns keep their selector and do not take labels or script data', () => {
    const errors = errorsOf({
      fields: [{ name: 'ok', selector: '#ok', type: 'string' }],
      tables: [
        {
          name: 't',
          row_selector: 'tr',
          columns: [{ name: 'c', label: 'Valor', type: 'string' }],
        },
      ],
    });
    expect(errors).toEqual([
      'tables[0].columns[0].label: only allowed in fields, not in table columns',
      'tables[0].columns[0].selector: is required',
    ]);
  });
});
