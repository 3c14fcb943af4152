import { describe, expect, it } from 'vitest';
import { SCRUBBED, scrubSecrets } from './scrub-secrets.js';

describe('scrubSecrets', () => {
  it('removes the password and cookie values, raw, URL-encoded and HTML-escaped', () => {
    const cookie = 'abc123/+=&"x';
    const html = `<p>s3nh@-forte</p><a href="/x?sid=${encodeURIComponent(cookie)}">l</a><script>var sid = "abc123/+=&amp;&quot;x";</script><i>${cookie}</i>`;
    const out = scrubSecrets(html, ['s3nh@-forte', cookie]);
    expect(out).not.toContain('s3nh@-forte');
    expect(out).not.toContain('abc123');
    expect(out.split(SCRUBBED)).toHaveLength(5);
  });

  it('blanks the value of password inputs, whichever attribute comes first', () => {
    expect(
      scrubSecrets(
        '<input type="password" name="p" value="typed"><input value=\'x1\' type="password"><input name="u" value="ana">',
        [],
      ),
    ).toBe(
      `<input type="password" name="p" value="${SCRUBBED}"><input value='${SCRUBBED}' type="password"><input name="u" value="ana">`,
    );
  });

  it('leaves short values alone (they would scrub ordinary text)', () => {
    expect(scrubSecrets('<p>OS 123 demo</p>', ['123', 'de', undefined, ''])).toBe(
      '<p>OS 123 demo</p>',
    );
  });
});
