/** One CSV line (RFC 4180 quoting, `;` separated: what spreadsheets in pt-BR open by default). */
export function csvLine(values: unknown[]): string {
  return `${values.map(csvField).join(';')}\r\n`;
}

/** A UTF-8 byte order mark: spreadsheets then read accents right. */
export const CSV_BOM = '\uFEFF';

function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  // A leading = + - @ would be run as a formula by a spreadsheet.
  if (/^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[";\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
