import * as cheerio from 'cheerio';
import { ValidateBy, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { dateFormatProblem } from '../extractor/formatted-values.js';

/**
 * Custom class-validator rules for target profiles. Each rule carries its own message so that
 * `profile:check` prints lines like `fields[3].selector: must be a non-empty string`.
 */

const NON_EMPTY = 'must be a non-empty string';

/**
 * With `{ each: true }` class-validator checks items one by one but builds the message from the
 * whole array; this finds the failing item and prefixes its index (`[2] ...`), which the
 * validator turns into the path `selectors[2]`.
 */
function messageFor(
  problem: (value: unknown) => string | null,
): (args?: ValidationArguments) => string {
  return (args) => {
    const value: unknown = args?.value;
    if (!Array.isArray(value)) return problem(value) ?? '';
    for (let i = 0; i < value.length; i++) {
      const found = problem(value[i]);
      if (found) return `[${i}] ${found}`;
    }
    return '';
  };
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

export function IsNonEmptyString(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isNonEmptyString',
      validator: { validate: isNonEmptyString, defaultMessage: () => NON_EMPTY },
    },
    options,
  );
}

let probe: cheerio.CheerioAPI | undefined;

/** Why a selector is unusable, or null. Cheerio's parser decides, as it is the one that reads pages. */
export function cssSelectorProblem(value: unknown): string | null {
  if (!isNonEmptyString(value)) return NON_EMPTY;
  probe ??= cheerio.load('<html><body></body></html>');
  try {
    probe.root().find(value);
    return null;
  } catch (error) {
    return `is not a valid CSS selector (${(error as Error).message})`;
  }
}

export function IsCssSelector(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCssSelector',
      validator: {
        validate: (value) => cssSelectorProblem(value) === null,
        defaultMessage: messageFor(cssSelectorProblem),
      },
    },
    options,
  );
}

export interface RegexRuleOptions {
  /** The pattern must have at least one capture group: the value is what it captures. */
  captureGroup?: boolean;
  /** The pattern must start with `^` and end with `$` (OS numbers are checked whole). */
  anchored?: boolean;
  /** Flags the pattern will be compiled with. */
  flags?: string;
}

/** Why a pattern is unusable, or null. */
export function regexProblem(value: unknown, rule: RegexRuleOptions = {}): string | null {
  if (!isNonEmptyString(value)) return NON_EMPTY;
  let compiled: RegExp;
  try {
    compiled = new RegExp(value, rule.flags);
  } catch (error) {
    return `is not a valid regular expression (${(error as Error).message})`;
  }
  if (rule.captureGroup) {
    // A regex with n groups matches the empty alternative plus n undefined captures.
    const groups = new RegExp(`${compiled.source}|`, rule.flags).exec('')!.length - 1;
    if (groups < 1) return 'must contain a capture group, e.g. "Total: (.+)"';
  }
  if (rule.anchored && !(value.startsWith('^') && value.endsWith('$'))) {
    return 'must be anchored with ^ and $';
  }
  return null;
}

export function IsRegexPattern(
  rule: RegexRuleOptions = {},
  options?: ValidationOptions,
): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isRegexPattern',
      validator: {
        validate: (value) => regexProblem(value, rule) === null,
        defaultMessage: messageFor((value) => regexProblem(value, rule)),
      },
    },
    options,
  );
}

function httpUrlProblem(value: unknown): string | null {
  if (!isNonEmptyString(value)) return NON_EMPTY;
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http(s) URL';
    if (url.search || url.hash) return 'must not have a query string or fragment';
    return null;
  } catch {
    return 'must be an http(s) URL, e.g. "http://erp.example.com:8080"';
  }
}

export function IsHttpUrl(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isHttpUrl',
      validator: {
        validate: (value) => httpUrlProblem(value) === null,
        defaultMessage: (args?: ValidationArguments) => httpUrlProblem(args?.value) ?? '',
      },
    },
    options,
  );
}

/** A target-relative path (`/os/detalhe?numero={os_number}`); profiles never point elsewhere. */
function pathProblem(value: unknown): string | null {
  if (!isNonEmptyString(value)) return NON_EMPTY;
  if (!value.startsWith('/') || value.startsWith('//')) return 'must be a path starting with "/"';
  return null;
}

export function IsTargetPath(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isTargetPath',
      validator: {
        validate: (value) => pathProblem(value) === null,
        defaultMessage: (args?: ValidationArguments) => pathProblem(args?.value) ?? '',
      },
    },
    options,
  );
}

export function IsStringRecord(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isStringRecord',
      validator: {
        validate: (value) =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.values(value).every((v) => typeof v === 'string'),
        defaultMessage: () => 'must be an object whose values are strings',
      },
    },
    options,
  );
}

/** A date format of `type: "date"` values (tokens yyyy, MM, dd, HH, mm, ss). */
export function IsDateFormat(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isDateFormat',
      validator: {
        validate: (value) => dateFormatProblem(value) === null,
        defaultMessage: (args?: ValidationArguments) => dateFormatProblem(args?.value) ?? '',
      },
    },
    options,
  );
}
