import * as cheerio from 'cheerio';
import type { TextNodeLike } from './text-normalizer.js';

let lastHtml: string | undefined;
let lastDocument: cheerio.CheerioAPI | undefined;

/**
 * Parses a page with parse5 (cheerio's default), which builds the same tree as a browser (implied
 * `<tbody>`, dropped leading newline in `<textarea>`), so one selector works on both paths. The
 * last document is kept: the HTTP path classifies a page, reads its variables and extracts it,
 * and should parse it once. Documents are never mutated here.
 */
export function loadDocument(html: string): cheerio.CheerioAPI {
  if (html !== lastHtml || !lastDocument) {
    lastDocument = cheerio.load(html);
    lastHtml = html;
  }
  return lastDocument;
}

/** domhandler's node type, reached through cheerio's own signature (domhandler is not a direct dependency). */
type AnyNode = Exclude<Parameters<typeof cheerio.load>[0], string | Buffer | readonly unknown[]>;

/** A selection of nodes, as `$(selector)` and `.find()` return. */
export type Selection = cheerio.Cheerio<AnyNode>;

interface ElementLike {
  type: string;
  attribs?: Record<string, string>;
  children?: ElementLike[];
}

const ID_SELECTOR = /^#([A-Za-z_][\w-]*)$/;
const idIndexes = new WeakMap<cheerio.CheerioAPI, Map<string, ElementLike>>();

function idIndex($: cheerio.CheerioAPI): Map<string, ElementLike> {
  let index = idIndexes.get($);
  if (index) return index;
  index = new Map();
  const stack = [...(($.root().get(0) as ElementLike).children ?? [])].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    const id = node.attribs?.id;
    if (id !== undefined && !index.has(id)) index.set(id, node); // the first one, as getElementById
    if (node.children)
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
  }
  idIndexes.set($, index);
  return index;
}

/**
 * `$(selector)`, with a shortcut for plain `#id` selectors, the most common kind on legacy pages:
 * cheerio compiles and runs a selector over the whole tree on every call, while one walk indexes
 * every id of the page. It halves the time to read a page whose fields are all ids.
 */
export function select($: cheerio.CheerioAPI, selector: string): Selection {
  const id = ID_SELECTOR.exec(selector);
  if (!id) return $(selector);
  const node = idIndex($).get(id[1]);
  return (node ? $(node as never) : $([])) as Selection;
}

/** The first node of a selection, typed for the text walk; undefined when nothing matched. */
export function firstNode(selection: Selection): TextNodeLike | undefined {
  return selection.get(0) as TextNodeLike | undefined;
}
