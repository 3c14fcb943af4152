import type { FieldSpec, PagePattern, TargetProfile } from '../profile/target-profile.js';
import { normalizeText } from './text-normalizer.js';
import type { ScriptDataSpec } from './embedded-data.js';
import {
  compileDateFormat,
  type CompiledDateFormat,
  type NumberFormat,
} from './formatted-values.js';
import { foldForMatch } from './value-parsers.js';

export interface CompiledValueSpec {
  spec: FieldSpec & { json_key?: string };
  regex?: RegExp;
  emptyValues: Set<string>;
  /** Folded enum value → the value as listed in the profile. */
  enumValues?: Map<string, string>;
  /** `label` / `label_pattern`: how the label cell is recognised. */
  label?: { exact?: string; pattern?: RegExp };
  /** `type: "date"` with its `format`. */
  dateFormat?: CompiledDateFormat;
  /** Explicit `decimal_separator` / `thousands_separator`. */
  numberFormat?: NumberFormat;
}

export interface CompiledPattern {
  selectors: string[];
  texts: RegExp[];
  url?: RegExp;
  /** HTTP statuses that mean this page. */
  statuses: Set<number>;
}

export interface CompiledProfile {
  fields: CompiledValueSpec[];
  tables: {
    name: string;
    rowSelector: string;
    required: boolean;
    columns: CompiledValueSpec[];
    rowsPath?: string[];
    sideRequest?: string;
    /** Rows in data embedded in a script, when the HTML has none. */
    script?: ScriptDataSpec;
  }[];
  variables: { name: string; selector?: string; attribute?: string; regex?: RegExp }[];
  sessionExpired: CompiledPattern;
  loginPage: CompiledPattern;
  notFound: CompiledPattern;
  loginSuccess: CompiledPattern;
  forbidden?: CompiledPattern;
}

const cache = new WeakMap<TargetProfile, CompiledProfile>();

function pattern(source: PagePattern & { url_pattern?: string }): CompiledPattern {
  return {
    selectors: source.selectors ?? [],
    texts: (source.text_patterns ?? []).map((text) => new RegExp(text, 'i')),
    url: source.url_pattern ? new RegExp(source.url_pattern) : undefined,
    statuses: new Set(source.status_codes ?? []),
  };
}

function valueSpec(spec: FieldSpec): CompiledValueSpec {
  return {
    spec,
    regex: spec.regex ? new RegExp(spec.regex) : undefined,
    emptyValues: new Set((spec.empty_values ?? []).map(normalizeText)),
    enumValues: spec.enum_values
      ? new Map(spec.enum_values.map((v) => [foldForMatch(normalizeText(v)), v]))
      : undefined,
    ...readingKeys(spec),
  };
}

function readingKeys(spec: FieldSpec): Partial<CompiledValueSpec> {
  const keys: Partial<CompiledValueSpec> = {};
  if (spec.label !== undefined)
    keys.label = { exact: normalizeText(spec.label).replace(/\s*:$/, '') };
  if (spec.label_pattern !== undefined)
    keys.label = { pattern: new RegExp(spec.label_pattern, 'i') };
  if (spec.type === 'date') keys.dateFormat = compileDateFormat(spec.format ?? 'dd/MM/yyyy');
  if (spec.decimal_separator !== undefined || spec.thousands_separator !== undefined) {
    const decimal = spec.decimal_separator ?? ',';
    keys.numberFormat = {
      decimal,
      thousands: spec.thousands_separator ?? (decimal === ',' ? '.' : ','),
    };
  }
  return keys;
}

/**
 * The profile with its regular expressions compiled, once per profile object: the extractor is
 * on a hot path (hundreds of pages a second) and must not recompile patterns per page.
 */
export function compileProfile(profile: TargetProfile): CompiledProfile {
  let compiled = cache.get(profile);
  if (compiled) return compiled;
  compiled = {
    fields: profile.fields.map(valueSpec),
    tables: profile.tables.map((table) => ({
      name: table.name,
      rowSelector: table.row_selector,
      required: table.required,
      columns: table.columns.map(valueSpec),
      rowsPath: table.json_fallback
        ? table.json_fallback.rows_path.split('.').filter(Boolean)
        : undefined,
      sideRequest: table.json_fallback?.side_request,
      script: table.script,
    })),
    variables: profile.page_variables.map((variable) => ({
      name: variable.name,
      selector: variable.selector,
      attribute: variable.attribute,
      regex: variable.regex ? new RegExp(variable.regex) : undefined,
    })),
    sessionExpired: pattern(profile.login.session_expired),
    loginPage: pattern(profile.login.login_page),
    notFound: pattern(profile.not_found),
    loginSuccess: pattern(profile.login.success),
    forbidden: profile.forbidden ? pattern(profile.forbidden) : undefined,
  };
  cache.set(profile, compiled);
  return compiled;
}
