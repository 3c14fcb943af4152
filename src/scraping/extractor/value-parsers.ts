/**
 * Brazilian formats to normalised values. Each parser returns `undefined` when the text is not
 * of its type, so the caller can tell "invalid" from "empty" (null).
 */

const INTEGER_PLAIN = /^[-+]?\d+$/;
const INTEGER_GROUPED = /^[-+]?\d{1,3}(\.\d{3})+$/;
const DECIMAL_BR = /^[-+]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$/;
const DECIMAL_POINT = /^[-+]?\d+\.\d+$/;
const DATE_BR = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

function compact(text: string): string {
  return text.replace(/\s+/g, '');
}

/** `1.234` (dot groups thousands) or `1234` → 1234. */
export function parseInteger(text: string): number | undefined {
  const value = compact(text);
  if (!INTEGER_PLAIN.test(value) && !INTEGER_GROUPED.test(value)) return undefined;
  const parsed = Number(value.replace(/\./g, ''));
  return Number.isSafeInteger(parsed) ? parsed : undefined;
}

/**
 * `1.234,5` → 1234.5. Comma is the decimal mark and dots group thousands; a lone point with
 * digits after it that do not form a thousands group (`12.5`) is read as a decimal point.
 */
export function parseDecimal(text: string): number | undefined {
  const value = compact(text);
  if (DECIMAL_BR.test(value)) return Number(value.replace(/\./g, '').replace(',', '.'));
  if (DECIMAL_POINT.test(value)) return Number(value);
  return undefined;
}

/** `R$ 1.234,56` → 1234.56 (rounded to cents). */
export function parseMoneyBrl(text: string): number | undefined {
  const value = compact(text).replace(/^([-+]?)R\$/i, '$1');
  const parsed = parseDecimal(value);
  return parsed === undefined ? undefined : roundCents(parsed);
}

export function roundCents(value: number): number {
  return Math.round(value * 100) / 100;
}

/** `07/03/2024` → `2024-03-07`; impossible dates (31/02) are invalid. */
export function parseDateBr(text: string): string | undefined {
  const match = DATE_BR.exec(text.trim());
  if (!match) return undefined;
  const [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day
  ) {
    return undefined;
  }
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Key for matching enum values regardless of case and accents ("CONCLUÍDA" ~ "Concluída"). */
export function foldForMatch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase();
}
