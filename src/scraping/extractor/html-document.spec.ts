import { describe, expect, it } from 'vitest';
import { loadDocument, select } from './html-document.js';

describe('select', () => {
  const $ = loadDocument(
    '<html><body><div id="a">1</div><p id="a">2</p><table><tr><td id="c">3</td></tr></table></body></html>',
  );

  it('finds plain #id selectors through the index, first element like getElementById', () => {
    expect(select($, '#a').length).toBe(1);
    expect(select($, '#a').text()).toBe('1');
    expect(select($, '#c').text()).toBe('3');
    expect(select($, '#missing').length).toBe(0);
  });

  it('runs every other selector through cheerio', () => {
    expect(select($, 'p#a').text()).toBe('2');
    expect(select($, '#a, #c').length).toBe(3);
    expect(select($, 'table tbody td').text()).toBe('3'); // parse5 adds tbody, as browsers do
  });

  it('parses a page once while the same HTML comes back', () => {
    const html = '<html><body><b>x</b></body></html>';
    expect(loadDocument(html)).toBe(loadDocument(html));
    expect(loadDocument(`${html} `)).not.toBe(loadDocument(html));
  });
});
