import type { TextNodeLike } from './text-normalizer.js';

/**
 * `text_mode: "html"`: the inner HTML of an element reduced to a fixed set of formatting tags,
 * safe to show in another application. Tags outside the list are unwrapped (their text kept);
 * scripts, styles, frames, embedded objects and form controls are dropped with their content;
 * no attribute survives but `href` on `<a>` (http, https, mailto or a relative path),
 * `colspan`/`rowspan` on cells and `start` on `<ol>` (digits only). Comments are dropped, text is
 * escaped, whitespace collapses to one space outside `<pre>`.
 */

const ALLOWED = new Set([
  'a',
  'b',
  'blockquote',
  'br',
  'caption',
  'code',
  'dd',
  'div',
  'dl',
  'dt',
  'em',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'i',
  'li',
  'ol',
  'p',
  'pre',
  's',
  'small',
  'span',
  'strong',
  'sub',
  'sup',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'u',
  'ul',
]);
const VOID = new Set(['br', 'hr']);
const DROPPED = new Set([
  'script',
  'style',
  'template',
  'noscript',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'svg',
  'math',
  'head',
  'title',
  'meta',
  'link',
  'base',
  'input',
  'select',
  'textarea',
  'button',
]);
const SAFE_HREF = /^(https?:|mailto:|[^:]*$)/i;
const DIGITS = /^\d{1,4}$/;

interface ElementNode extends TextNodeLike {
  attribs?: Record<string, string>;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(text: string): string {
  return escape(text).replace(/"/g, '&quot;');
}

function safeAttributes(node: ElementNode): string {
  const attribs = node.attribs ?? {};
  const kept: [string, string][] = [];
  if (node.name === 'a' && attribs.href !== undefined) {
    // Control characters and spaces inside a scheme ("java\tscript:") are stripped by browsers.
    // eslint-disable-next-line no-control-regex -- control characters are what is being removed
    const scheme = attribs.href.replace(/[\u0000-\u0020\u007f]/g, '');
    if (SAFE_HREF.test(scheme)) kept.push(['href', attribs.href.trim()]);
  }
  if (node.name === 'td' || node.name === 'th')
    for (const name of ['colspan', 'rowspan'])
      if (attribs[name] !== undefined && DIGITS.test(attribs[name]))
        kept.push([name, attribs[name]]);
  if (node.name === 'ol' && attribs.start !== undefined && DIGITS.test(attribs.start))
    kept.push(['start', attribs.start]);
  return kept.map(([name, value]) => ` ${name}="${escapeAttribute(value)}"`).join('');
}

function write(node: ElementNode, pre: boolean, out: string[]): void {
  if (node.type === 'text') {
    const data = node.data ?? '';
    out.push(escape(pre ? data : data.replace(/\s+/g, ' ')));
    return;
  }
  if (node.type !== 'tag' && node.type !== 'root') return;
  const name = (node.name ?? '').toLowerCase();
  if (DROPPED.has(name)) return;
  const kept = ALLOWED.has(name);
  if (kept) out.push(`<${name}${safeAttributes(node)}>`);
  if (VOID.has(name)) return;
  for (const child of node.children ?? []) write(child, pre || name === 'pre', out);
  if (kept) out.push(`</${name}>`);
}

/** The sanitised inner HTML of an element ('' when it holds no text or allowed tags). */
export function sanitizedHtml(node: TextNodeLike): string {
  const out: string[] = [];
  for (const child of node.children ?? []) write(child, node.name === 'pre', out);
  return out.join('').trim();
}
