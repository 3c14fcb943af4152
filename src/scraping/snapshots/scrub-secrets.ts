/**
 * Removes what must never be stored with a page: the target password, the session's cookie
 * values (raw, URL-encoded and HTML-escaped, as a page may echo them) and any value of a password
 * input. Values shorter than 4 characters are left alone (they would scrub ordinary text).
 */
const PASSWORD_INPUT =
  /(<input\b[^>]*\btype\s*=\s*["']?password["']?[^>]*\bvalue\s*=\s*)(["'])(.*?)\2/gi;
const PASSWORD_INPUT_VALUE_FIRST =
  /(<input\b[^>]*\bvalue\s*=\s*)(["'])(.*?)\2([^>]*\btype\s*=\s*["']?password)/gi;

export const SCRUBBED = '[scrubbed]';

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

export function scrubSecrets(html: string, secrets: readonly (string | undefined)[]): string {
  let out = html
    .replace(PASSWORD_INPUT, `$1$2${SCRUBBED}$2`)
    .replace(PASSWORD_INPUT_VALUE_FIRST, `$1$2${SCRUBBED}$2$4`);
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue;
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
    forms.add(escapeHtml(secret));
  }
  // Longest first, so a secret that contains another is removed whole.
  for (const form of [...forms].sort((a, b) => b.length - a.length))
    out = out.split(form).join(SCRUBBED);
  return out;
}
