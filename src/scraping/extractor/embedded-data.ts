import type { CheerioAPI } from 'cheerio';
import { select } from './html-document.js';

/**
 * Data a page carries inside a `<script>` for its own scripts to render: a JSON block
 * (`<script type="application/json" id="dados">{...}</script>`) or a variable assignment
 * (`var osData = {...};`, `window.osData = {...}`, `App.os = {...}`). The literal is cut out of
 * the script text and parsed as JSON; a JavaScript object literal is first rewritten to JSON
 * (single-quoted strings, bare keys, trailing commas). Nothing is ever evaluated: a value that is
 * not a literal (a function call, an expression) is simply not found.
 */

export interface ScriptDataSpec {
  /** The `<script>` elements to look in (default: every script). */
  selector?: string;
  /** Variable or property assigned in the script; without it the whole script text is JSON. */
  variable?: string;
  /** Path to the value within the data: `cliente.nome`, `itens[0].valor`, `itens.0.valor`. */
  path?: string;
}

export type ScriptDataRead =
  | { found: true; value: unknown }
  | { found: false; reason: 'no_script' | 'no_assignment' | 'unparsable' | 'no_path' };

/** Longest literal read from a script; a larger one is treated as unparsable. */
const MAX_LITERAL = 5_000_000;
/** Assignments of one variable tried per script. */
const MAX_ASSIGNMENTS = 20;

const documents = new WeakMap<CheerioAPI, Map<string, ScriptDataRead>>();

/** `cliente.nome`, `itens[0].valor` → `['cliente', 'nome']`, `['itens', '0', 'valor']`. */
export function dataPath(path: string | undefined): string[] {
  if (!path) return [];
  return path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((key) => key !== '');
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The text of a string, object or array literal starting at `start`, or of a scalar up to `;`. */
function literalAt(text: string, start: number): string | undefined {
  const open = text[start];
  if (open === '{' || open === '[' || open === '"' || open === "'") {
    let depth = 0;
    let quote: string | undefined;
    const end = Math.min(text.length, start + MAX_LITERAL);
    for (let i = start; i < end; i++) {
      const char = text[i];
      if (quote) {
        if (char === '\\') i++;
        else if (char === quote) {
          quote = undefined;
          if (depth === 0) return text.slice(start, i + 1);
        }
        continue;
      }
      if (char === '"' || char === "'" || char === '`') quote = char;
      else if (char === '{' || char === '[') depth++;
      else if (char === '}' || char === ']') {
        depth--;
        if (depth === 0) return text.slice(start, i + 1);
      }
    }
    return undefined;
  }
  const scalar = /^(-?\d+(\.\d+)?([eE][-+]?\d+)?|true|false|null)(?=\s*(;|,|\n|$))/.exec(
    text.slice(start, start + 64),
  );
  return scalar?.[1];
}

/**
 * A JavaScript literal rewritten as JSON: single-quoted strings become double-quoted, bare
 * object keys get quotes, trailing commas go. Anything else (identifiers, calls) stays and so
 * fails JSON.parse.
 */
export function relaxedJsonToJson(literal: string): string {
  const out: string[] = [];
  const key = /[A-Za-z_$][\w$]*(?=\s*:)/y;
  const closer = /\s*[}\]]/y;
  // The last character written that is not whitespace: a key can only follow "{" or ",".
  let last = '';
  let i = 0;
  while (i < literal.length) {
    const char = literal[i]!;
    if (char === '"' || char === "'") {
      let j = i + 1;
      let body = '';
      while (j < literal.length && literal[j] !== char) {
        if (literal[j] === '\\') {
          const next = literal[j + 1] ?? '';
          body += next === "'" ? "'" : `\\${next}`;
          j += 2;
          continue;
        }
        body += literal[j] === '"' ? '\\"' : literal[j];
        j++;
      }
      out.push(`"${body}"`);
      last = '"';
      i = j + 1;
      continue;
    }
    if (last === '{' || last === ',') {
      key.lastIndex = i;
      const found = key.exec(literal);
      if (found) {
        out.push(`"${found[0]}"`);
        last = '"';
        i += found[0].length;
        continue;
      }
    }
    if (char === ',') {
      closer.lastIndex = i + 1;
      if (closer.test(literal)) {
        i++;
        continue;
      }
    }
    out.push(char);
    if (!/\s/.test(char)) last = char;
    i++;
  }
  return out.join('');
}

function parseLiteral(literal: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(literal) };
  } catch {
    try {
      return { ok: true, value: JSON.parse(relaxedJsonToJson(literal)) };
    } catch {
      return { ok: false };
    }
  }
}

function readRoot($: CheerioAPI, spec: ScriptDataSpec): ScriptDataRead {
  const scripts = select($, spec.selector ?? 'script').toArray();
  if (scripts.length === 0) return { found: false, reason: 'no_script' };
  let sawLiteral = false;
  for (const script of scripts) {
    const text = $(script).text();
    if (!spec.variable) {
      const parsed = parseLiteral(text.trim());
      if (parsed.ok) return { found: true, value: parsed.value };
      sawLiteral = true;
      continue;
    }
    const assignment = new RegExp(
      `(?:^|[^\\w$.])(?:(?:var|let|const)\\s+)?(?:window\\.)?${escapeRegex(spec.variable)}\\s*=(?!=)\\s*`,
      'g',
    );
    let tried = 0;
    for (const match of text.matchAll(assignment)) {
      // A hostile page could repeat the assignment endlessly: a few are enough.
      if (++tried > MAX_ASSIGNMENTS) break;
      const literal = literalAt(text, match.index + match[0].length);
      if (literal === undefined) continue;
      sawLiteral = true;
      const parsed = parseLiteral(literal);
      if (parsed.ok) return { found: true, value: parsed.value };
    }
  }
  return { found: false, reason: sawLiteral ? 'unparsable' : 'no_assignment' };
}

/** The value at `spec.path` in the page's embedded data; parsed once per page and script spec. */
export function readScriptData($: CheerioAPI, spec: ScriptDataSpec): ScriptDataRead {
  let cache = documents.get($);
  if (!cache) documents.set($, (cache = new Map()));
  const key = `${spec.selector ?? ''}\u0000${spec.variable ?? ''}`;
  let root = cache.get(key);
  if (!root) cache.set(key, (root = readRoot($, spec)));
  if (!root.found) return root;
  let current = root.value;
  for (const step of dataPath(spec.path)) {
    if (current === null || typeof current !== 'object') return { found: false, reason: 'no_path' };
    current = (current as Record<string, unknown>)[step];
  }
  return current === undefined
    ? { found: false, reason: 'no_path' }
    : { found: true, value: current };
}
