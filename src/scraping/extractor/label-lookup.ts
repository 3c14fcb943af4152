import type { CheerioAPI } from 'cheerio';
import { select, type Selection } from './html-document.js';
import { flatText, type TextNodeLike } from './text-normalizer.js';

/**
 * Values found by their label (`"label": "Cliente"`), for key/value grids whose cells carry no
 * ids. The rule, in full:
 *
 * 1. Label candidates are the `th`, `dt` and `label` elements of the page (or under the field's
 *    `selector`, when it has one), in document order.
 * 2. A candidate's text is its visible text on one line (scripts left out, whitespace collapsed,
 *    trimmed). `label` matches when that text, with one trailing ":" removed, equals it ignoring
 *    letter case; `label_pattern` is a regex (case-insensitive) tried on the text as it is.
 * 3. The value of the first matching candidate that has one is read:
 *    - `th`: the first `td` after it in the same row; when the `th` has none (a header row),
 *      the cell at the same column in the next row;
 *    - `dt`: the first `dd` after it;
 *    - `label for="x"`: the element with `id="x"`; without `for`, the first form control inside
 *      it, else its next sibling element.
 * A form control (`input`, `select`, `textarea`) is read as its value: the `value` attribute, the
 * selected option's text, the textarea's text.
 */

interface LabelMatcher {
  exact?: string;
  pattern?: RegExp;
}

type Element = TextNodeLike & { attribs?: Record<string, string>; parent?: Element | null };

const CANDIDATES = 'th, dt, label';
const CONTROL = 'input, select, textarea';
const CONTROL_TAGS = new Set(['input', 'select', 'textarea']);

/** A label's own text: a `<label>` wrapping a select or textarea leaves the control's text out. */
function labelText(node: Element): string {
  if (node.name !== 'label') return flatText(node);
  const own = (node.children ?? []).filter((child) => !CONTROL_TAGS.has(child.name ?? ''));
  return own
    .map((child) => flatText(child))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function matchesLabel(text: string, matcher: LabelMatcher): boolean {
  if (matcher.pattern) return matcher.pattern.test(text);
  const bare = text.replace(/\s*:$/, '');
  return bare.toLocaleLowerCase('pt-BR') === (matcher.exact ?? '').toLocaleLowerCase('pt-BR');
}

function cellIndex($: CheerioAPI, cell: Selection): number {
  let index = 0;
  for (const sibling of cell.prevAll('th, td').toArray()) {
    const span = Number($(sibling).attr('colspan') ?? '1');
    index += Number.isInteger(span) && span > 0 ? span : 1;
  }
  return index;
}

function cellAtColumn($: CheerioAPI, row: Selection, column: number): Selection {
  let index = 0;
  for (const cell of row.children('th, td').toArray()) {
    if (index === column) return $(cell) as Selection;
    const span = Number($(cell).attr('colspan') ?? '1');
    index += Number.isInteger(span) && span > 0 ? span : 1;
    if (index > column) break;
  }
  return $([]) as Selection;
}

function valueFor($: CheerioAPI, candidate: Selection): Selection {
  const name = (candidate.get(0) as Element).name;
  if (name === 'th') {
    const cell = candidate.nextAll('td').first();
    if (cell.length > 0) return cell as Selection;
    const row = candidate.parent('tr');
    const next = row.nextAll('tr').first();
    if (next.length === 0) return $([]) as Selection;
    return cellAtColumn($, next as Selection, cellIndex($, candidate));
  }
  if (name === 'dt') return candidate.nextAll('dd').first() as Selection;
  const target = candidate.attr('for');
  if (target)
    return $('[id]')
      .filter((_, el) => $(el).attr('id') === target)
      .first() as Selection;
  const inner = candidate.find(CONTROL).first();
  if (inner.length > 0) return inner as Selection;
  return candidate.next() as Selection;
}

/** The element holding the value labelled as the matcher says, or an empty selection. */
export function findByLabel(
  $: CheerioAPI,
  matcher: LabelMatcher,
  scopeSelector?: string,
): Selection {
  const scope = scopeSelector ? select($, scopeSelector) : $.root();
  for (const node of scope.find(CANDIDATES).toArray()) {
    if (!matchesLabel(labelText(node as Element), matcher)) continue;
    const value = valueFor($, $(node) as Selection);
    if (value.length > 0) return value;
  }
  return $([]) as Selection;
}

/** Whether a node is a form control, read by its value rather than its text. */
export function isFormControl(node: TextNodeLike): boolean {
  return node.name === 'input' || node.name === 'select' || node.name === 'textarea';
}

/** The value a form control shows: `value`, the selected option's text, the textarea's text. */
export function formControlValue($: CheerioAPI, selection: Selection): string | undefined {
  const node = selection.get(0) as Element | undefined;
  if (!node) return undefined;
  if (node.name === 'input') return selection.attr('value');
  if (node.name === 'select') {
    const option = selection.find('option[selected]').first();
    const chosen = option.length > 0 ? option : selection.find('option').first();
    return chosen.length > 0 ? flatText(chosen.get(0) as Element) : undefined;
  }
  return undefined; // textarea: its text is the value
}
