/**
 * OS numbers from text: one a line, or separated by commas, semicolons or spaces; `#` starts a
 * comment. Repeats are dropped (keeping the first), so an OS is never read twice in one run.
 */
export function parseOsList(text: string): string[] {
  const seen = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    for (const token of line.replace(/#.*/, '').split(/[\s,;]+/)) {
      if (token) seen.add(token);
    }
  }
  return [...seen];
}

/** `items` in consecutive slices of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
