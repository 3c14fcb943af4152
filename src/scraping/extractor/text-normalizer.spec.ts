import * as cheerio from 'cheerio';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flatText, nodeText, normalizeText, type TextNodeLike } from './text-normalizer.js';

function textOf(html: string, selector = '#x'): string {
  const $ = cheerio.load(html);
  return nodeText($(selector).get(0) as TextNodeLike);
}

describe('normalizeText', () => {
  it.each([
    ['  a   b  ', 'a b'],
    ['a\u00a0\u00a0b', 'a b'],
    ['\n\n a \n\n b \n', 'a\nb'],
    ['a\r\nb\rc', 'a\nb\nc'],
    ['\t', ''],
    ['sem espaços', 'sem espaços'],
  ])('%j → %j', (input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });

  it('is idempotent and leaves no edge whitespace or blank lines', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 'ç', ' ', '\n', '\t', '\u00a0', '<', '&') }),
        (input) => {
          const once = normalizeText(input);
          expect(normalizeText(once)).toBe(once);
          expect(once).toBe(once.trim());
          const lines = once === '' ? [] : once.split('\n');
          expect(lines.every((line) => line !== '' && line === line.trim())).toBe(true);
          expect(once).not.toMatch(/ {2}/);
        },
      ),
    );
  });
});

describe('nodeText', () => {
  it('turns <br> into line breaks and source newlines into spaces', () => {
    expect(
      textOf(
        '<table><tr><td id="x">Linha  um\n  continua<br>\nLinha &amp; dois<br/></td></tr></table>',
      ),
    ).toBe('Linha um continua\nLinha & dois');
  });

  it('breaks lines at block elements, never twice', () => {
    expect(textOf('<div id="x"><p>a</p><p>b</p><div><div>c</div></div>d</div>')).toBe('a\nb\nc\nd');
  });

  it('keeps the newlines of <textarea> and <pre>, and drops the first one as browsers do', () => {
    expect(textOf('<textarea id="x">\nlinha 1\n  linha   2\n</textarea>')).toBe('linha 1\nlinha 2');
    expect(textOf('<pre id="x">a\n\nb</pre>')).toBe('a\nb');
  });

  it('ignores scripts, styles and comments', () => {
    expect(
      textOf('<div id="x">a<script>var x = 1;</script><style>p{}</style><!-- c -->b</div>'),
    ).toBe('ab');
  });

  it('decodes entities and non-breaking spaces', () => {
    expect(textOf('<span id="x">R$&nbsp;1.234,56 &lt;x&gt; &quot;q&quot;</span>')).toBe(
      'R$ 1.234,56 <x> "q"',
    );
  });
});

describe('flatText', () => {
  it('is the visible text on one line, scripts left out', () => {
    expect(
      textOf(
        '<div id="x"><h2>Sessão\n expirada</h2><script>var a = "b";</script><p>Entre&nbsp;de novo</p></div>',
      ),
    ).toBe('Sessão expirada\nEntre de novo');
    const $ = cheerio.load(
      '<div id="x"><h2>Sessão\n expirada</h2><script>var a = "b";</script><p>Entre&nbsp;de novo</p></div>',
    );
    expect(flatText($('#x').get(0) as TextNodeLike)).toBe('Sessão expirada Entre de novo');
  });
});
