/** Escapes text for HTML content and attribute values (quoted with double quotes). */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** Lines joined by `<br>`, the way legacy screens print multi-line text. */
export function linesToHtml(lines: readonly string[]): string {
  return lines.map(escapeHtml).join('<br>\n');
}
