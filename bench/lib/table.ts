export interface Column<Row> {
  title: string;
  /** The cell's text; numbers are right-aligned. */
  value: (row: Row) => string | number | null | undefined;
  /** Digits after the point for numbers (default 0). */
  digits?: number;
}

/** Renders rows as a plain-text table (also valid Markdown). */
export function formatTable<Row>(columns: Column<Row>[], rows: Row[]): string {
  const cells = rows.map((row) =>
    columns.map((column) => {
      const value = column.value(row);
      if (typeof value === 'number') {
        return {
          text: Number.isFinite(value) ? value.toFixed(column.digits ?? 0) : '—',
          right: true,
        };
      }
      return { text: value ?? '—', right: false };
    }),
  );
  const widths = columns.map((column, index) =>
    Math.max(column.title.length, ...cells.map((row) => row[index]!.text.length)),
  );
  const rightAligned = columns.map((_, index) => cells.some((row) => row[index]!.right));
  const line = (texts: string[]) =>
    `| ${texts
      .map((text, index) =>
        rightAligned[index] ? text.padStart(widths[index]!) : text.padEnd(widths[index]!),
      )
      .join(' | ')} |`;
  const rule = `|${widths
    .map((width, index) =>
      rightAligned[index] ? `${'-'.repeat(width + 1)}:` : '-'.repeat(width + 2),
    )
    .join('|')}|`;
  return [
    line(columns.map((column) => column.title)),
    rule,
    ...cells.map((row) => line(row.map((cell) => cell.text))),
  ].join('\n');
}

/** Prints a table to stdout, with a title line when given. */
export function printTable<Row>(columns: Column<Row>[], rows: Row[], title?: string): void {
  process.stdout.write(`${title ? `\n${title}\n\n` : '\n'}${formatTable(columns, rows)}\n`);
}
