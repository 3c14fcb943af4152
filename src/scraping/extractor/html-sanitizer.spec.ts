import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { sanitizedHtml } from './html-sanitizer.js';
import type { TextNodeLike } from './text-normalizer.js';

function clean(inner: string): string {
  const $ = cheerio.load(`<div id="x">${inner}</div>`);
  return sanitizedHtml($('#x').get(0) as TextNodeLike);
}

describe('sanitizedHtml', () => {
  it('keeps formatting tags without their attributes', () => {
    expect(
      clean('<p class="a" style="color:red" onclick="x()">a <strong id="s">b</strong></p>'),
    ).toBe('<p>a <strong>b</strong></p>');
  });

  it('drops scripts, styles, frames, objects, svg and form controls with their content', () => {
    expect(
      clean(
        'a<script>alert(1)</script><style>p{}</style><iframe src="x">f</iframe><object>o</object><svg><script>x</script></svg><input value="v"><textarea>t</textarea>b',
      ),
    ).toBe('ab');
  });

  it('unwraps unknown tags and escapes text', () => {
    expect(clean('<font color="red">x &lt;y&gt; &amp; z</font><img src=x onerror="y()">')).toBe(
      'x &lt;y&gt; &amp; z',
    );
  });

  it('keeps only safe links and numeric spans', () => {
    expect(
      clean(
        '<a href="javascript:alert(1)">1</a><a href="java\tscript:alert(1)">2</a><a href="https://x.example/a?b=1&c=2">3</a><a href="data:text/html,x">4</a><a href="/rel">5</a>',
      ),
    ).toBe(
      '<a>1</a><a>2</a><a href="https://x.example/a?b=1&amp;c=2">3</a><a>4</a><a href="/rel">5</a>',
    );
    expect(clean('<table><tr><td colspan="2" rowspan="x">a</td></tr></table>')).toBe(
      '<table><tbody><tr><td colspan="2">a</td></tr></tbody></table>',
    );
  });

  it('keeps the line breaks of <pre> and collapses whitespace elsewhere', () => {
    expect(clean('<p>a\n\n   b</p><pre>x\n  y</pre>')).toBe('<p>a b</p><pre>x\n  y</pre>');
  });

  it('escapes a quote in a kept attribute', () => {
    expect(clean('<a href="/a&quot;onmouseover=&quot;x">l</a>')).toBe(
      '<a href="/a&quot;onmouseover=&quot;x">l</a>',
    );
  });
});
