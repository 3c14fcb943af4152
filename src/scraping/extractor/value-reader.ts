import type { CompiledValueSpec } from './compiled-profile.js';
import { firstNode, type Selection } from './html-document.js';
import { nodeText, normalizeText } from './text-normalizer.js';
import {
  foldForMatch,
  parseDateBr,
  parseDecimal,
  parseInteger,
  parseMoneyBrl,
  roundCents,
} from './value-parsers.js';

/** A value as read: typed, empty (`null`), or present but not of its type. */
export type ReadValue =
  { state: 'value'; value: unknown } | { state: 'empty' } | { state: 'invalid'; raw: string };

const EMPTY: ReadValue = { state: 'empty' };

function convertText(text: string, compiled: CompiledValueSpec): ReadValue {
  if (text === '' || compiled.emptyValues.has(text)) return EMPTY;
  let raw = text;
  if (compiled.regex) {
    const match = compiled.regex.exec(text);
    const group = match?.slice(1).find((g) => g !== undefined);
    if (group === undefined) return { state: 'invalid', raw: text };
    raw = normalizeText(group);
    if (raw === '' || compiled.emptyValues.has(raw)) return EMPTY;
  }
  let value: unknown;
  switch (compiled.spec.type) {
    case 'string':
      value = raw;
      break;
    case 'integer':
      value = parseInteger(raw);
      break;
    case 'decimal':
      value = parseDecimal(raw);
      break;
    case 'money_brl':
      value = parseMoneyBrl(raw);
      break;
    case 'date_br':
      value = parseDateBr(raw);
      break;
    case 'enum':
      value = compiled.enumValues?.get(foldForMatch(raw));
      break;
  }
  return value === undefined ? { state: 'invalid', raw } : { state: 'value', value };
}

/** Reads a field (or column) from the first element of a selection. */
export function readElementValue(selection: Selection, compiled: CompiledValueSpec): ReadValue {
  const node = firstNode(selection);
  if (!node) return EMPTY;
  if (compiled.spec.source === 'attribute') {
    const attribute = selection.first().attr(compiled.spec.attribute ?? '');
    return attribute === undefined ? EMPTY : convertText(normalizeText(attribute), compiled);
  }
  return convertText(nodeText(node), compiled);
}

/** Reads a column from a JSON row value: strings go through the text rules, numbers are typed directly. */
export function readJsonValue(value: unknown, compiled: CompiledValueSpec): ReadValue {
  if (value === null || value === undefined) return EMPTY;
  if (typeof value === 'string') return convertText(normalizeText(value), compiled);
  if (typeof value !== 'number' || !Number.isFinite(value))
    return { state: 'invalid', raw: JSON.stringify(value) };
  switch (compiled.spec.type) {
    case 'integer':
      return Number.isSafeInteger(value)
        ? { state: 'value', value }
        : { state: 'invalid', raw: String(value) };
    case 'decimal':
      return { state: 'value', value };
    case 'money_brl':
      return { state: 'value', value: roundCents(value) };
    case 'string':
    case 'enum':
      return convertText(String(value), compiled);
    default:
      return { state: 'invalid', raw: String(value) };
  }
}
