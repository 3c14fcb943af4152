import type { ValueDiagnostic } from '../extractor/extraction-diagnostics.js';
import type { ExtractionResult } from '../extractor/extraction-result.js';

/**
 * The report `profile:try` and `profile:check --page` print: every field and table cell with its
 * value or why it is empty, from the extractor's own diagnostics.
 */
export interface ExtractionReport {
  lines: string[];
  /** The page is an OS and every required value was read. */
  complete: boolean;
}

const MAX_TEXT = 80;
const MAX_ROWS_SHOWN = 5;

function short(text: string): string {
  const flat = text.replace(/\n/g, '⏎');
  return flat.length > MAX_TEXT ? `${flat.slice(0, MAX_TEXT)}…` : flat;
}

function show(value: unknown): string {
  return short(typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value)));
}

function valueLine(diagnostic: ValueDiagnostic, width: number): string {
  const name = diagnostic.path.padEnd(width);
  const flag = diagnostic.required ? ' (required)' : '';
  if (diagnostic.state === 'value')
    return `  ok      ${name}  ${show(diagnostic.value)}   ← ${diagnostic.how}`;
  const label =
    diagnostic.state === 'invalid' ? 'INVALID' : diagnostic.required ? 'MISSING' : 'empty';
  const text = diagnostic.text !== undefined ? `; text was ${show(diagnostic.text)}` : '';
  return `  ${label.padEnd(7)} ${name}  ${diagnostic.how}: ${diagnostic.reason ?? 'empty'}${text}${flag}`;
}

const KIND_SENTENCES: Record<Exclude<ExtractionResult['kind'], 'ok'>, string> = {
  not_found: 'the page is "not found"',
  forbidden: 'the page is "forbidden" (the OS exists, this account may not see it)',
  session_expired: 'the page is an ended session or the login form',
};

/** `why`: which pattern classified the page (from `explainPage`), for pages that are no OS. */
export function extractionReport(
  result: ExtractionResult,
  why?: { pattern?: string; by?: string },
): ExtractionReport {
  if (result.kind !== 'ok') {
    const matched = why?.pattern ? `: ${why.pattern} matched by ${why.by}` : '';
    return { lines: [`${KIND_SENTENCES[result.kind]}${matched}`], complete: false };
  }
  const diagnostics = result.diagnostics ?? { fields: [], tables: [], cells: [] };
  const width = Math.max(
    8,
    ...diagnostics.fields.map((d) => d.path.length),
    ...diagnostics.cells.map((d) => d.path.length),
  );
  const lines = ['fields:', ...diagnostics.fields.map((d) => valueLine(d, width))];
  for (const table of diagnostics.tables) {
    const source =
      table.source === 'none' ? 'no rows' : `${table.rows} row(s) from ${table.source}`;
    const flag = table.required && table.source === 'none' ? ' MISSING (required)' : '';
    lines.push(`table ${table.name}: ${source}${flag}   ← ${table.how}`);
    if (table.reason) lines.push(`  ${table.reason}`);
    const cells = diagnostics.cells.filter((d) => d.path.startsWith(`${table.name}[`));
    const shown = cells.filter((d) => {
      const row = Number(/\[(\d+)\]/.exec(d.path)?.[1] ?? 0);
      return row < MAX_ROWS_SHOWN || d.state !== 'value';
    });
    for (const cell of shown) lines.push(valueLine(cell, width));
    if (shown.length < cells.length)
      lines.push(`  … ${cells.length - shown.length} more cell(s) with a value`);
  }
  if (result.missing.length > 0) lines.push(`missing required: ${result.missing.join(', ')}`);
  if (result.invalid.length > 0) lines.push(`invalid: ${result.invalid.join(', ')}`);
  return { lines, complete: result.missing.length === 0 };
}
