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

/** The first node of a selection, typed for the text walk; undefined when nothing matched. */
export function firstNode(selection: Selection): TextNodeLike | undefined {
  return selection.get(0) as TextNodeLike | undefined;
}
