/**
 * Values whose format the profile states instead of the Brazilian defaults: dates with a pattern
 * (`MM/dd/yyyy`, `dd/MM/yyyy HH:mm`...) and numbers with explicit separators. Each parser returns
 * `undefined` when the text is not of its format, as the parsers of value-parsers.ts do.
 */

/** Tokens a date format may use; anything else in the format must appear literally in the text. */
const DATE_TOKENS: Record<string, { key: DatePart; regex: string }> = {
  yyyy: { key: 'year', regex: '(\\d{4})' },
  MM: { key: 'month', regex: '(\\d{2})' },
  M: { key: 'month', regex: '(\\d{1,2})' },
  dd: { key: 'day', regex: '(\\d{2})' },
  d: { key: 'day', regex: '(\\d{1,2})' },
  HH: { key: 'hour', regex: '(\\d{2})' },
  H: { key: 'hour', regex: '(\\d{1,2})' },
  mm: { key: 'minute', regex: '(\\d{2})' },
  ss: { key: 'second', regex: '(\\d{2})' },
};
type DatePart = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second';
const TOKEN = /yyyy|MM|M|dd|d|HH|H|mm|ss/g;

export interface CompiledDateFormat {
  regex: RegExp;
  parts: DatePart[];
}

/** Why a date format is unusable, or null. */
export function dateFormatProblem(format: unknown): string | null {
  if (typeof format !== 'string' || format.trim() === '')
    return 'must be a date format such as "dd/MM/yyyy"';
  if (/[A-Za-z]/.test(format.replace(TOKEN, '')))
    return 'may only use the tokens yyyy, MM, M, dd, d, HH, H, mm, ss and separators';
  const parts = [...format.matchAll(TOKEN)].map((m) => DATE_TOKENS[m[0]].key);
  for (const needed of ['year', 'month', 'day'] as const)
    if (!parts.includes(needed)) return 'must contain yyyy, MM (or M) and dd (or d)';
  if (new Set(parts).size !== parts.length) return 'uses the same part twice';
  if (parts.includes('minute') && !parts.includes('hour')) return 'has minutes (mm) without HH';
  return null;
}

export function compileDateFormat(format: string): CompiledDateFormat {
  const parts: DatePart[] = [];
  let source = '';
  let last = 0;
  for (const match of format.matchAll(TOKEN)) {
    source += escapeRegex(format.slice(last, match.index)).replace(/ +/g, '\\s+');
    source += DATE_TOKENS[match[0]].regex;
    parts.push(DATE_TOKENS[match[0]].key);
    last = match.index + match[0].length;
  }
  source += escapeRegex(format.slice(last)).replace(/ +/g, '\\s+');
  return { regex: new RegExp(`^${source}$`), parts };
}

const pad = (value: number, size = 2): string => String(value).padStart(size, '0');

/**
 * A date read with its format: `"2024-03-07"`, or `"2024-03-07T14:20"` (`:ss` when the format has
 * seconds) when the format has a time. Impossible dates and times are invalid. No time zone is
 * assumed: the value is the wall-clock time the page shows.
 */
export function parseFormattedDate(text: string, format: CompiledDateFormat): string | undefined {
  const match = format.regex.exec(text.trim());
  if (!match) return undefined;
  const value: Partial<Record<DatePart, number>> = {};
  format.parts.forEach((part, index) => (value[part] = Number(match[index + 1])));
  const { year = 0, month = 0, day = 0 } = value;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day
  )
    return undefined;
  const iso = `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
  if (value.hour === undefined) return iso;
  const [hour, minute = 0, second] = [value.hour, value.minute, value.second];
  if (hour > 23 || minute > 59 || (second ?? 0) > 59) return undefined;
  return `${iso}T${pad(hour)}:${pad(minute)}${second === undefined ? '' : `:${pad(second)}`}`;
}

export const DECIMAL_SEPARATORS = [',', '.'] as const;
export const THOUSANDS_SEPARATORS = ['.', ',', ' ', "'", ''] as const;

export interface NumberFormat {
  decimal: string;
  /** '' when the page never groups thousands. */
  thousands: string;
}

/**
 * A number written with the stated separators: `1,234.56` with `{decimal: '.', thousands: ','}`.
 * Thousands separators must group by three (`1,23.4` is invalid); a space separator also
 * accepts a non-breaking space. Without a decimal part the number is whole.
 */
export function parseSeparatedNumber(text: string, format: NumberFormat): number | undefined {
  let value = text.trim().replace(/\u00a0/g, ' ');
  if (format.thousands !== ' ') value = value.replace(/\s+/g, '');
  const sign = /^[-+]/.test(value) ? value[0] : '';
  value = value.slice(sign.length);
  const [whole, fraction, extra] = value.split(format.decimal);
  if (extra !== undefined || whole === undefined || whole === '') return undefined;
  if (fraction !== undefined && !/^\d+$/.test(fraction)) return undefined;
  let digits = whole;
  if (format.thousands !== '' && whole.includes(format.thousands)) {
    const groups = whole.split(format.thousands);
    if (!/^\d{1,3}$/.test(groups[0]) || !groups.slice(1).every((g) => /^\d{3}$/.test(g)))
      return undefined;
    digits = groups.join('');
  }
  if (!/^\d+$/.test(digits)) return undefined;
  const parsed = Number(`${sign}${digits}${fraction === undefined ? '' : `.${fraction}`}`);
  return Number.isFinite(parsed) ? parsed : undefined;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
