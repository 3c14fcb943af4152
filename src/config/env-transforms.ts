import { Transform } from 'class-transformer';
import { autoContexts } from './auto-contexts.js';

/** Reads an environment string as a number; anything else becomes NaN so validation names it. */
export const ToNumber = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) =>
    value === undefined || value === ''
      ? undefined
      : typeof value === 'number'
        ? value
        : Number(value),
  );

/** Reads `true|false|1|0|yes|no`; anything else is kept as-is so validation names it. */
export const ToBoolean = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => {
    if (value === undefined || value === '') return undefined;
    if (typeof value === 'boolean') return value;
    const text = String(value).trim().toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(text)) return true;
    if (['false', '0', 'no', 'off'].includes(text)) return false;
    return value;
  });

/** Splits a comma-separated list, dropping empty entries. */
export const ToList = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((entry) => entry.trim())
          .filter((entry) => entry.length > 0)
      : value,
  );

/** `SCRAPER_MAX_CONTEXTS`: `auto` sized from this machine (`autoContexts`), else a number. */
export const ToContextCount = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && value.trim().toLowerCase() === 'auto'
      ? autoContexts()
      : value === undefined || value === ''
        ? undefined
        : typeof value === 'number'
          ? value
          : Number(value),
  );
