import type { CheerioAPI } from 'cheerio';
import type { TargetProfile } from '../profile/target-profile.js';
import {
  compileProfile,
  type CompiledProfile,
  type CompiledValueSpec,
} from './compiled-profile.js';
import { readScriptData } from './embedded-data.js';
import { describeLookup, diagnose, type ExtractionDiagnostics } from './extraction-diagnostics.js';
import type { ExtractionResult, TableSource } from './extraction-result.js';
import { loadDocument, select } from './html-document.js';
import { findByLabel } from './label-lookup.js';
import { classifyDocument, type PageContext } from './page-classifier.js';
import { readElementValue, readJsonValue, type ReadValue } from './value-reader.js';

/** What else the extractor knows of the page, and whether to explain every value. */
export interface ExtractOptions extends PageContext {
  /** Add `diagnostics` to an `ok` result: why each value is what it is. */
  diagnostics?: boolean;
}

type Table = CompiledProfile['tables'][number];

class Collector {
  readonly missing: string[] = [];
  readonly invalid: string[] = [];

  constructor(readonly diagnostics?: ExtractionDiagnostics) {}

  /** The value to store, noting what is missing or invalid under `path`. */
  take(read: ReadValue, spec: CompiledValueSpec, path: string, inJsonRow = false): unknown {
    if (this.diagnostics) {
      const value = read.state === 'value' ? read.value : null;
      const diagnostic = diagnose(
        read,
        spec.spec,
        path,
        describeLookup(spec.spec, inJsonRow),
        value,
      );
      (path.includes('[') ? this.diagnostics.cells : this.diagnostics.fields).push(diagnostic);
    }
    if (read.state === 'value') return read.value;
    if (read.state === 'invalid') this.invalid.push(path);
    if (spec.spec.required) this.missing.push(path);
    return null;
  }
}

/** A field by its label, from embedded script data, or by its selector. */
function readField($: CheerioAPI, field: CompiledValueSpec): ReadValue {
  const spec = field.spec;
  if (spec.script) {
    const data = readScriptData($, spec.script);
    return data.found ? readJsonValue(data.value, field) : { state: 'empty', reason: data.reason };
  }
  if (field.label) return readElementValue(findByLabel($, field.label, spec.selector), field, $);
  return readElementValue(select($, spec.selector), field, $);
}

function jsonAt(value: unknown, path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function htmlRows($: CheerioAPI, table: Table, out: Collector): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  select($, table.rowSelector).each((index, row) => {
    const $row = $(row);
    const record: Record<string, unknown> = {};
    for (const column of table.columns) {
      const read = readElementValue($row.find(column.spec.selector), column);
      record[column.spec.name] = out.take(
        read,
        column,
        `${table.name}[${index}].${column.spec.name}`,
      );
    }
    rows.push(record);
  });
  return rows;
}

function jsonRows(source: unknown[], table: Table, out: Collector): Record<string, unknown>[] {
  return source.map((row, index) => {
    const record: Record<string, unknown> = {};
    for (const column of table.columns) {
      const raw = jsonAt(row, (column.spec.json_key ?? column.spec.name).split('.'));
      record[column.spec.name] = out.take(
        readJsonValue(raw, column),
        column,
        `${table.name}[${index}].${column.spec.name}`,
        true,
      );
    }
    return record;
  });
}

function tableDiagnostic(
  table: Table,
  source: TableSource,
  rows: number,
): ExtractionDiagnostics['tables'][number] {
  const script = table.script
    ? ` or script ${table.script.variable ?? table.script.selector ?? 'JSON'}${table.script.path ? ` → ${table.script.path}` : ''}`
    : '';
  const fallback = `${script}${table.sideRequest ? ` or side request "${table.sideRequest}"` : ''}`;
  const diagnostic = {
    name: table.name,
    how: `row_selector "${table.rowSelector}"${fallback}`,
    source,
    rows,
    required: table.required,
  };
  if (source !== 'none') return diagnostic;
  const reason = `row_selector matched nothing${fallback ? ` and${fallback.replace(/^ or/, '').replace(/ or /g, ', ')} gave no rows` : ''}`;
  return { ...diagnostic, reason };
}

/**
 * Reads one OS from its page with the profile: every field and table, typed. Used by both the
 * HTTP path (raw HTML plus the JSON of the side requests) and the browser path
 * (`page.content()`, where scripts already filled the tables). Tables take the page's rows when
 * there are any, else the rows of their JSON side response.
 */
export function extractOrder(
  html: string,
  profile: TargetProfile,
  sideResponses: Record<string, unknown> = {},
  options: ExtractOptions = {},
): ExtractionResult {
  const $ = loadDocument(html);
  const kind = classifyDocument($, profile, options);
  if (kind === 'not_found') return { kind: 'not_found' };
  if (kind === 'forbidden') return { kind: 'forbidden' };
  if (kind === 'session_expired' || kind === 'login_page') return { kind: 'session_expired' };

  const compiled = compileProfile(profile);
  const diagnostics: ExtractionDiagnostics | undefined = options.diagnostics
    ? { fields: [], tables: [], cells: [] }
    : undefined;
  const out = new Collector(diagnostics);
  const data: Record<string, unknown> = {};
  for (const field of compiled.fields) {
    data[field.spec.name] = out.take(readField($, field), field, field.spec.name);
  }
  const tableSources: Record<string, TableSource> = {};
  for (const table of compiled.tables) {
    let rows = htmlRows($, table, out);
    let source: TableSource = rows.length > 0 ? 'html' : 'none';
    if (rows.length === 0 && table.script) {
      // Rows the page carries in a script for its own rendering (read, never run).
      const found = readScriptData($, table.script);
      if (found.found && Array.isArray(found.value)) {
        rows = jsonRows(found.value, table, out);
        source = 'script';
      }
    }
    if (rows.length === 0 && table.sideRequest && table.sideRequest in sideResponses) {
      const found = jsonAt(sideResponses[table.sideRequest], table.rowsPath ?? []);
      if (Array.isArray(found)) {
        rows = jsonRows(found, table, out);
        source = 'json';
      } else {
        out.invalid.push(table.name);
      }
    }
    if (source === 'none' && table.required) out.missing.push(table.name);
    data[table.name] = rows;
    tableSources[table.name] = source;
    diagnostics?.tables.push(tableDiagnostic(table, source, rows.length));
  }
  const result = {
    kind: 'ok' as const,
    data,
    missing: out.missing,
    invalid: out.invalid,
    tableSources,
  };
  return diagnostics ? { ...result, diagnostics } : result;
}
