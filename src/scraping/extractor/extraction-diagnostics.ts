import type { CompiledValueSpec } from './compiled-profile.js';
import type { TableSource } from './extraction-result.js';
import type { ReadValue } from './value-reader.js';

/**
 * Why each value came out as it did, asked for with `extractOrder(..., { diagnostics: true })`:
 * what `profile:try`, `profile:check --page` and failure snapshots show a profile's author.
 */
export interface ValueDiagnostic {
  /** `cliente_nome`, or `itens[2].valor` for a cell. */
  path: string;
  /** How the value was looked for: `selector "#cli"`, `label "Cliente"`, `script osData → cliente.nome`. */
  how: string;
  required: boolean;
  state: 'value' | 'empty' | 'invalid';
  value: unknown;
  /** For an empty or invalid value: why, in words. */
  reason?: string;
  /** The text that was read (the raw text of an invalid value). */
  text?: string;
}

export interface TableDiagnostic {
  name: string;
  how: string;
  source: TableSource;
  rows: number;
  required: boolean;
  /** Why the table is empty. */
  reason?: string;
}

export interface ExtractionDiagnostics {
  fields: ValueDiagnostic[];
  tables: TableDiagnostic[];
  cells: ValueDiagnostic[];
}

/** How a value spec looks for its value, in the words of the profile. */
export function describeLookup(spec: CompiledValueSpec['spec'], inJsonRow = false): string {
  if (inJsonRow) return `json_key "${spec.json_key ?? spec.name}"`;
  if (spec.script) {
    const where = spec.script.variable ?? `JSON in ${spec.script.selector ?? 'script'}`;
    return `script ${where}${spec.script.path ? ` → ${spec.script.path}` : ''}`;
  }
  const scope = spec.selector ? ` under "${spec.selector}"` : '';
  if (spec.label !== undefined) return `label "${spec.label}"${scope}`;
  if (spec.label_pattern !== undefined) return `label_pattern /${spec.label_pattern}/${scope}`;
  const attribute = spec.source === 'attribute' ? ` [${spec.attribute}]` : '';
  return `selector "${spec.selector}"${attribute}`;
}

const EMPTY_REASONS: Record<string, string> = {
  no_match: 'matched nothing on the page',
  no_attribute: 'the element has no such attribute (or value)',
  empty_text: 'the element is empty',
  empty_value: 'the text is one of empty_values',
  no_script: 'no <script> matched script.selector',
  no_assignment: 'no script assigns the variable a literal',
  unparsable: 'the script data is not valid JSON (or a plain object literal)',
  no_path: 'the path is not in the script data',
};

/** One value's diagnostic. */
export function diagnose(
  read: ReadValue,
  spec: CompiledValueSpec['spec'],
  path: string,
  how: string,
  value: unknown,
): ValueDiagnostic {
  const base = { path, how, required: spec.required, state: read.state, value };
  switch (read.state) {
    case 'value':
      return base;
    case 'empty':
      return {
        ...base,
        reason: EMPTY_REASONS[read.reason ?? 'empty_text'],
        ...(read.text !== undefined ? { text: read.text } : {}),
      };
    case 'invalid': {
      const expected =
        spec.type === 'date'
          ? `a date (${spec.format ?? 'dd/MM/yyyy'})`
          : spec.type === 'enum'
            ? `one of ${(spec.enum_values ?? []).join(', ')}`
            : `a ${spec.type}`;
      return {
        ...base,
        reason: read.reason === 'regex' ? `regex /${spec.regex}/ did not match` : `not ${expected}`,
        text: read.raw,
      };
    }
  }
}
