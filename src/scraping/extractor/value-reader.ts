import type { CheerioAPI } from 'cheerio';
import type { CompiledValueSpec } from './compiled-profile.js';
import { parseFormattedDate, parseSeparatedNumber } from './formatted-values.js';
import { firstNode, type Selection } from './html-document.js';
import { sanitizedHtml } from './html-sanitizer.js';
import { formControlValue, isFormControl } from './label-lookup.js';
import { nodeLines, nodeText, normalizeText } from './text-normalizer.js';
import {
  foldForMatch,
  parseDateBr,
  parseDecimal,
  parseInteger,
  parseMoneyBrl,
  roundCents,
} from './value-parsers.js';

/** Why a value came out empty, for the extractor's diagnostics. */
export type EmptyReason =
  | 'no_match'
  | 'no_attribute'
  | 'empty_text'
  | 'empty_value'
  | 'no_script'
  | 'no_assignment'
  | 'unparsable'
  | 'no_path';

/** A value as read: typed, empty (`null`), or present but not of its type. */
export type ReadValue =
  | { state: 'value'; value: unknown; text?: string }
  | { state: 'empty'; reason?: EmptyReason; text?: string }
  | { state: 'invalid'; raw: string; reason?: 'regex' | 'type' };

const empty = (reason: EmptyReason, text?: string): ReadValue =>
  text === undefined ? { state: 'empty', reason } : { state: 'empty', reason, text };

function parseNumber(raw: string, compiled: CompiledValueSpec): number | undefined {
  const format = compiled.numberFormat;
  switch (compiled.spec.type) {
    case 'integer': {
      if (!format) return parseInteger(raw);
      const value = parseSeparatedNumber(raw, { ...format, decimal: '\u0000' });
      return value !== undefined && Number.isSafeInteger(value) ? value : undefined;
    }
    case 'decimal':
      return format ? parseSeparatedNumber(raw, format) : parseDecimal(raw);
    default: {
      if (!format) return parseMoneyBrl(raw);
      const value = parseSeparatedNumber(raw.replace(/^\s*([-+]?)\s*R\$\s*/i, '$1'), format);
      return value === undefined ? undefined : roundCents(value);
    }
  }
}

function convertText(text: string, compiled: CompiledValueSpec, shown = text): ReadValue {
  if (text === '') return empty('empty_text');
  if (compiled.emptyValues.has(text)) return empty('empty_value', text);
  let raw = text;
  if (compiled.regex) {
    const match = compiled.regex.exec(text);
    const group = match?.slice(1).find((g) => g !== undefined);
    if (group === undefined) return { state: 'invalid', raw: text, reason: 'regex' };
    raw = normalizeText(group);
    if (raw === '') return empty('empty_text', text);
    if (compiled.emptyValues.has(raw)) return empty('empty_value', raw);
  }
  let value: unknown;
  switch (compiled.spec.type) {
    case 'string':
      // text_mode "html" keeps the markup; the regex and empty checks ran on the text.
      value = compiled.regex ? raw : shown;
      break;
    case 'integer':
    case 'decimal':
    case 'money_brl':
      value = parseNumber(raw, compiled);
      break;
    case 'date_br':
      value = parseDateBr(raw);
      break;
    case 'date':
      value = compiled.dateFormat ? parseFormattedDate(raw, compiled.dateFormat) : undefined;
      break;
    case 'enum':
      value = compiled.enumValues?.get(foldForMatch(raw));
      break;
  }
  return value === undefined
    ? { state: 'invalid', raw, reason: 'type' }
    : { state: 'value', value, text: raw };
}

/** The text of an element as the field's `text_mode` says; form controls give their value. */
function elementText(
  selection: Selection,
  compiled: CompiledValueSpec,
  $?: CheerioAPI,
): { text: string; shown: string } | undefined {
  const node = firstNode(selection)!;
  if ($ && isFormControl(node) && node.name !== 'textarea') {
    const value = formControlValue($, selection);
    return value === undefined
      ? undefined
      : { text: normalizeText(value), shown: normalizeText(value) };
  }
  switch (compiled.spec.text_mode) {
    case 'lines': {
      const lines = nodeLines(node);
      return { text: lines, shown: lines };
    }
    case 'html':
      return { text: nodeText(node), shown: sanitizedHtml(node) };
    default: {
      const text = nodeText(node);
      return { text, shown: text };
    }
  }
}

/**
 * Reads a field (or column) from the first element of a selection. With `$`, a form control
 * (reached through a label) is read as the value it shows.
 */
export function readElementValue(
  selection: Selection,
  compiled: CompiledValueSpec,
  $?: CheerioAPI,
): ReadValue {
  const node = firstNode(selection);
  if (!node) return empty('no_match');
  if (compiled.spec.source === 'attribute') {
    const attribute = selection.first().attr(compiled.spec.attribute ?? '');
    return attribute === undefined
      ? empty('no_attribute')
      : convertText(normalizeText(attribute), compiled);
  }
  const read = elementText(selection, compiled, $);
  if (!read) return empty('no_attribute');
  return convertText(read.text, compiled, read.shown);
}

/** Reads a column from a JSON row value: strings go through the text rules, numbers are typed directly. */
export function readJsonValue(value: unknown, compiled: CompiledValueSpec): ReadValue {
  if (value === null || value === undefined) return empty('empty_text');
  if (typeof value === 'string') return convertText(normalizeText(value), compiled);
  if (typeof value !== 'number' || !Number.isFinite(value))
    return { state: 'invalid', raw: JSON.stringify(value), reason: 'type' };
  switch (compiled.spec.type) {
    case 'integer':
      return Number.isSafeInteger(value)
        ? { state: 'value', value }
        : { state: 'invalid', raw: String(value), reason: 'type' };
    case 'decimal':
      return { state: 'value', value };
    case 'money_brl':
      return { state: 'value', value: roundCents(value) };
    case 'string':
    case 'enum':
      return convertText(String(value), compiled);
    default:
      return { state: 'invalid', raw: String(value), reason: 'type' };
  }
}
