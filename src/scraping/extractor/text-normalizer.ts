/**
 * The one definition of "the text of a value", shared by every field, column and page pattern:
 * whitespace runs (spaces, tabs, non-breaking spaces, source line breaks) become one space, each
 * line is trimmed, blank lines are dropped, and lines are joined with `\n`. Line breaks come from
 * `<br>`, from block elements (p, div, li, ...) and from newlines inside `<pre>`/`<textarea>` —
 * what a person sees on screen, not how the HTML source happens to be wrapped.
 */

/** Normalises a plain string (an attribute, a JSON value): its `\n`s are line breaks. */
export function normalizeText(text: string): string {
  if (!/[\s]/.test(text)) return text;
  const lines = text.split(/\r\n|\r|\n/);
  const out: string[] = [];
  for (const line of lines) {
    const clean = line.replace(/\s+/g, ' ').trim();
    if (clean) out.push(clean);
  }
  return out.join('\n');
}

/** The shape of a parsed DOM node (domhandler, as produced by cheerio) that the walk needs. */
export interface TextNodeLike {
  type: string;
  data?: string;
  name?: string;
  children?: TextNodeLike[];
}

const BLOCKS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'dd',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'ul',
]);
const PRESERVES_NEWLINES = new Set(['pre', 'textarea']);
/** Elements whose content is never text a person sees (the browser's page looks skip them too). */
export const NON_TEXT_ELEMENTS: readonly string[] = ['script', 'style', 'template', 'noscript'];
const SKIPPED = new Set(NON_TEXT_ELEMENTS);

/** List items of `text_mode: "lines"` start with a marker: "- " in a `<ul>`, "1. " in an `<ol>`. */
interface ListMarkers {
  counters: Map<TextNodeLike, number>;
}

function listMarker(
  node: TextNodeLike,
  parent: TextNodeLike | undefined,
  lists: ListMarkers,
): string {
  if (parent?.name !== 'ol') return '- ';
  const next = (lists.counters.get(parent) ?? 0) + 1;
  lists.counters.set(parent, next);
  return `${next}. `;
}

function collect(
  node: TextNodeLike,
  preserve: boolean,
  parts: string[],
  isRoot: boolean,
  lists?: ListMarkers,
  parent?: TextNodeLike,
): void {
  if (node.type === 'text') {
    const data = node.data ?? '';
    parts.push(preserve ? data : data.replace(/\s+/g, ' '));
    return;
  }
  if (node.type !== 'tag' && node.type !== 'root') return;
  const name = node.name ?? '';
  if (SKIPPED.has(name)) return;
  if (name === 'br') {
    parts.push('\n');
    return;
  }
  const block = !isRoot && BLOCKS.has(name);
  if (block) parts.push('\n');
  if (lists && name === 'li') parts.push(listMarker(node, parent, lists));
  const keep = preserve || PRESERVES_NEWLINES.has(name);
  for (const child of node.children ?? []) collect(child, keep, parts, false, lists, node);
  if (block) parts.push('\n');
}

/** Normalised visible text of an element (see the module comment for the rules). */
export function nodeText(node: TextNodeLike): string {
  const parts: string[] = [];
  collect(node, PRESERVES_NEWLINES.has(node.name ?? ''), parts, true);
  return normalizeText(parts.join(''));
}

/** `nodeText` with list items marked ("- item", "1. item"): `text_mode: "lines"`. */
export function nodeLines(node: TextNodeLike): string {
  const parts: string[] = [];
  const lists: ListMarkers = { counters: new Map() };
  collect(node, PRESERVES_NEWLINES.has(node.name ?? ''), parts, true, lists);
  return normalizeText(parts.join(''));
}

/**
 * All visible text under a node on one line, whitespace collapsed: what page patterns
 * (`text_patterns`) are tried on. Cheaper than `nodeText`, as lines do not matter there.
 */
export function flatText(node: TextNodeLike): string {
  const parts: string[] = [];
  const stack: TextNodeLike[] = [node];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (current.type === 'text') parts.push(current.data ?? '');
    else if (
      (current.type === 'tag' || current.type === 'root') &&
      !SKIPPED.has(current.name ?? '')
    ) {
      const children = current.children ?? [];
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
    }
  }
  return parts.join(' ').replace(/\s+/g, ' ').trim();
}
