import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  IsCssSelector,
  IsHttpUrl,
  IsNonEmptyString,
  IsRegexPattern,
  IsStringRecord,
  IsTargetPath,
} from './profile-validation-rules.js';
import { IsDateFormat } from './profile-validation-rules.js';
import { DECIMAL_SEPARATORS, THOUSANDS_SEPARATORS } from '../extractor/formatted-values.js';

/**
 * The target profile: one JSON file that tells the scraper how to log in to a legacy system, find
 * an OS and read it. Property names are snake_case because they are the file's keys.
 * docs/target-profile.md explains every property with an example.
 *
 * Decorators run bottom-up, so the basic type check of a property sits nearest to it and is the
 * message reported when several rules fail.
 */

export const VALUE_TYPES = [
  'string',
  'integer',
  'decimal',
  'money_brl',
  'date_br',
  'enum',
  'date',
] as const;
export type ValueType = (typeof VALUE_TYPES)[number];

export const VALUE_SOURCES = ['text', 'attribute'] as const;

/** `text`: lines as a person sees them; `lines`: also list markers; `html`: sanitised HTML. */
export const TEXT_MODES = ['text', 'lines', 'html'] as const;
export type TextMode = (typeof TEXT_MODES)[number];
export type ValueSource = (typeof VALUE_SOURCES)[number];

/** Playwright's `request.resourceType()` values. */
export const BROWSER_RESOURCE_TYPES = [
  'document',
  'stylesheet',
  'image',
  'media',
  'font',
  'script',
  'texttrack',
  'xhr',
  'fetch',
  'eventsource',
  'websocket',
  'manifest',
  'other',
] as const;
export type BrowserResourceType = (typeof BROWSER_RESOURCE_TYPES)[number];

export const HTTP_METHODS = ['GET', 'POST'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export const CHARSETS = ['utf-8', 'windows-1252', 'iso-8859-1'] as const;
export type Charset = (typeof CHARSETS)[number];

/** How the session pool logs in (docs/target-profile.md, "Login modes"). */
export const LOGIN_MODES = ['http', 'browser', 'auto'] as const;
export type LoginMode = (typeof LOGIN_MODES)[number];

/** The ways to read an OS, in the default order. */
export const READ_PATHS = ['http', 'browser', 'robust'] as const;
export type ReadPath = (typeof READ_PATHS)[number];

const NAME = /^[a-z][a-z0-9_]*$/;
const NAME_MESSAGE = 'must be snake_case: a lowercase letter, then lowercase letters, digits or _';
const oneOf = (values: readonly string[]): string => `must be one of: ${values.join(', ')}`;

/**
 * `keep`: the number as typed (trimmed), for targets where `0012` and `12` differ.
 * `strip_leading_zeros`: `0012345` and `12345` are one OS (the target reads numbers as integers).
 */
export const OS_NUMBER_NORMALIZATIONS = ['keep', 'strip_leading_zeros'] as const;
export type OsNumberNormalization = (typeof OS_NUMBER_NORMALIZATIONS)[number];

/** How a page is recognised: it matches when any selector finds an element or any pattern matches the page text. */
export class PagePattern {
  @IsCssSelector({ each: true })
  @IsArray({ message: 'must be an array' })
  @IsOptional()
  selectors?: string[];

  /** Regular expressions (case-insensitive) tried on the text of `<body>`. */
  @IsRegexPattern({ flags: 'i' }, { each: true })
  @IsArray({ message: 'must be an array' })
  @IsOptional()
  text_patterns?: string[];

  /** HTTP statuses that mean this page (`[404]` for not_found, `[403]` for forbidden). */
  @Max(599, { each: true, message: 'each value must be an HTTP status (100-599)' })
  @Min(100, { each: true, message: 'each value must be an HTTP status (100-599)' })
  @IsInt({ each: true, message: 'each value must be an HTTP status (100-599)' })
  @IsArray({ message: 'must be an array of HTTP statuses, e.g. [404]' })
  @IsOptional()
  status_codes?: number[];

  /** Regex tried on the page's URL after redirects (e.g. `/login` for a redirect to the login form). */
  @IsRegexPattern()
  @IsOptional()
  url_pattern?: string;
}

/** `url_pattern` is tried on the URL reached after the login redirect (every pattern has it now). */
export class LoginSuccessPattern extends PagePattern {}

export class LoginSpec {
  /** Path of the page that holds the login form. */
  @IsTargetPath()
  url!: string;

  @IsCssSelector()
  form_selector!: string;

  /** `name` of the username input. */
  @IsNonEmptyString()
  username_field!: string;

  /** `name` of the password input. */
  @IsNonEmptyString()
  password_field!: string;

  /** What a browser clicks to submit; without it the browser presses Enter in the password field. */
  @IsCssSelector()
  @IsOptional()
  submit_selector?: string;

  /** Who logs in: a plain HTTP form post, Chromium running the page's script, or HTTP first. */
  @IsIn(LOGIN_MODES, { message: oneOf(LOGIN_MODES) })
  mode: LoginMode = 'auto';

  /** The page reached after a successful login. */
  @Type(() => LoginSuccessPattern)
  @ValidateNested({ message: 'must be an object' })
  @IsDefined({ message: 'is required' })
  success!: LoginSuccessPattern;

  /** A 200 page saying the session is over ("Sessão expirada"). */
  @Type(() => PagePattern)
  @ValidateNested({ message: 'must be an object' })
  @IsDefined({ message: 'is required' })
  session_expired!: PagePattern;

  /** A 200 page that is the login form itself (what some systems answer once a session ends). */
  @Type(() => PagePattern)
  @ValidateNested({ message: 'must be an object' })
  @IsDefined({ message: 'is required' })
  login_page!: PagePattern;

  /** The page after wrong credentials, when it can be told apart. */
  @Type(() => PagePattern)
  @ValidateNested({ message: 'must be an object' })
  @IsOptional()
  failure?: PagePattern;
}

/** The OS page is at a URL built from the number. */
export class UrlLookup {
  @IsIn(['url'], { message: oneOf(['url', 'search']) })
  mode!: 'url';

  @Matches(/\{os_number\}/, { message: 'must contain {os_number}' })
  @IsTargetPath()
  url_template!: string;
}

/** The OS is found through a search form whose result links to the detail page. */
export class SearchLookup {
  @IsIn(['search'], { message: oneOf(['url', 'search']) })
  mode!: 'search';

  @IsTargetPath()
  search_url!: string;

  @IsIn(HTTP_METHODS, { message: oneOf(HTTP_METHODS) })
  method: HttpMethod = 'POST';

  /** Name of the form field that takes the OS number. */
  @IsNonEmptyString()
  field!: string;

  /** Other fields sent with the search, as the form would. */
  @IsStringRecord()
  @IsOptional()
  extra_fields?: Record<string, string>;

  /** The link (`href`) to the detail page in the result. */
  @IsCssSelector()
  result_link_selector!: string;

  /** For a browser that fills the form instead of posting it. */
  @IsCssSelector()
  @IsOptional()
  form_selector?: string;

  @IsCssSelector()
  @IsOptional()
  submit_selector?: string;
}

export type LookupSpec = UrlLookup | SearchLookup;

/** Stand-in while validating a lookup whose mode is neither: only `mode` gets reported. */
export class UnknownLookup {
  @IsIn(['url', 'search'], { message: oneOf(['url', 'search']) })
  mode!: string;
}

/** Where a value sits in data a page embeds in a `<script>` (JSON or a JS variable). */
export class ScriptSourceSpec {
  /** The `<script>` elements to look in; every script when absent. */
  @IsCssSelector()
  @IsOptional()
  selector?: string;

  /** The variable (or `object.property`) assigned a literal; without it the script text is JSON. */
  @Matches(/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/, {
    message: 'must be a JavaScript name such as "osData" or "App.dados"',
  })
  @IsOptional()
  variable?: string;

  /** Dotted path to the value: `cliente.nome`, `itens[0].valor`; the whole data when absent. */
  @Matches(/^[^.[\]]+(\[\d+\])*(\.[^.[\]]+(\[\d+\])*)*$/, {
    message: 'must be a dotted path such as "cliente.nome" or "itens[0].valor"',
  })
  @IsOptional()
  path?: string;
}

/** How one value is read from an element and typed. */
export class FieldSpec {
  @Matches(NAME, { message: NAME_MESSAGE })
  @IsNonEmptyString()
  name!: string;

  /** The first element it finds is read; in a table, relative to the row. */
  @IsCssSelector()
  @ValidateIf(
    (field: FieldSpec) =>
      field.selector !== undefined ||
      (field.label === undefined &&
        field.label_pattern === undefined &&
        field.script === undefined),
  )
  selector!: string;

  @IsIn(VALUE_SOURCES, { message: oneOf(VALUE_SOURCES) })
  source: ValueSource = 'text';

  @IsNonEmptyString({ message: 'must be a non-empty string when source is "attribute"' })
  @ValidateIf((field: FieldSpec) => field.source === 'attribute' || field.attribute !== undefined)
  attribute?: string;

  @IsIn(VALUE_TYPES, { message: oneOf(VALUE_TYPES) })
  type!: ValueType;

  /** Accepted values of an enum; matching ignores case and accents, the output is as listed. */
  @IsNonEmptyString({ each: true })
  @ArrayMinSize(1, { message: 'must list at least one value' })
  @IsArray({ message: 'must be a non-empty array of strings when type is "enum"' })
  @ValidateIf((field: FieldSpec) => field.type === 'enum' || field.enum_values !== undefined)
  enum_values?: string[];

  /** A required value that comes out empty makes the page incomplete (`missing`). */
  @IsBoolean({ message: 'must be true or false' })
  required: boolean = false;

  /** Applied to the text; the value is the first capture group that matched. */
  @IsRegexPattern({ captureGroup: true })
  @IsOptional()
  regex?: string;

  /** Texts meaning "no value" (e.g. "—", "-"), read as null. An empty text always is. */
  @IsString({ each: true, message: 'must be an array of strings' })
  @IsArray({ message: 'must be an array of strings' })
  @IsOptional()
  empty_values?: string[];

  // Other ways to find the value, and formats (docs/target-profile.md, "Reading values").

  /** The value cell of the `th`/`dt`/`label` whose text is this (case and a trailing ":" ignored). */
  @IsNonEmptyString()
  @IsOptional()
  label?: string;

  /** Like `label`, a regex (case-insensitive) tried on the label's text. */
  @IsRegexPattern({ flags: 'i' })
  @IsOptional()
  label_pattern?: string;

  /** The value is in data embedded in a `<script>`. */
  @Type(() => ScriptSourceSpec)
  @ValidateNested({ message: 'must be an object' })
  @IsOptional()
  script?: ScriptSourceSpec;

  /** Format of a `date` value: `dd/MM/yyyy`, `dd/MM/yyyy HH:mm`, `yyyy-MM-dd`, `MM/dd/yyyy`... */
  @IsDateFormat()
  @ValidateIf((field: FieldSpec) => field.type === 'date' || field.format !== undefined)
  format?: string;

  /** Decimal mark of `decimal`/`money_brl` values, replacing the Brazilian guesswork. */
  @IsIn(DECIMAL_SEPARATORS, { message: oneOf(DECIMAL_SEPARATORS) })
  @IsOptional()
  decimal_separator?: (typeof DECIMAL_SEPARATORS)[number];

  /** Thousands separator of numbers ("" when the page never groups digits). */
  @IsIn(THOUSANDS_SEPARATORS, { message: 'must be one of: ".", ",", " ", "\'", ""' })
  @IsOptional()
  thousands_separator?: (typeof THOUSANDS_SEPARATORS)[number];

  /** How a `string` value's text is taken. */
  @IsIn(TEXT_MODES, { message: oneOf(TEXT_MODES) })
  @IsOptional()
  text_mode?: TextMode;
}

/** A table column: a field read inside each row, and from `json_key` of each JSON row. */
export class ColumnSpec extends FieldSpec {
  /** Key (dotted path allowed) of this column in a row of the JSON side response. */
  @IsNonEmptyString()
  @IsOptional()
  json_key?: string;
}

/** Where a table's rows come from when the HTML has none (filled by script from JSON). */
export class JsonFallbackSpec {
  /** Name of a side request. */
  @IsNonEmptyString()
  side_request!: string;

  /** Dotted path to the array of rows in the JSON ("itens", "dados.linhas"); "" for the root. */
  @Matches(/^$|^[^.]+(\.[^.]+)*$/, { message: 'must be a dotted path such as "dados.linhas"' })
  @IsOptional()
  rows_path: string = '';
}

export class TableSpec {
  @Matches(NAME, { message: NAME_MESSAGE })
  @IsNonEmptyString()
  name!: string;

  @IsCssSelector()
  row_selector!: string;

  /** An empty required table makes the page incomplete (`missing`). */
  @IsBoolean({ message: 'must be true or false' })
  required: boolean = false;

  @Type(() => ColumnSpec)
  @ValidateNested({ each: true, message: 'must be an object' })
  @ArrayMinSize(1, { message: 'must list at least one column' })
  @IsArray({ message: 'must be an array' })
  columns!: ColumnSpec[];

  @Type(() => JsonFallbackSpec)
  @ValidateNested({ message: 'must be an object' })
  @IsOptional()
  json_fallback?: JsonFallbackSpec;

  /** Rows in data embedded in a `<script>` (`path` leads to the array), when the HTML has none. */
  @Type(() => ScriptSourceSpec)
  @ValidateNested({ message: 'must be an object' })
  @IsOptional()
  script?: ScriptSourceSpec;
}

/** A value read from the page for side-request URL templates (e.g. an internal id). */
export class PageVariableSpec {
  @Matches(NAME, { message: NAME_MESSAGE })
  @IsNonEmptyString()
  name!: string;

  @IsCssSelector()
  @IsOptional()
  selector?: string;

  /** Read this attribute of the selected element instead of its text. */
  @IsNonEmptyString()
  @IsOptional()
  attribute?: string;

  /** On the selected text, or on the raw HTML when there is no selector; first capture group. */
  @IsRegexPattern({ captureGroup: true })
  @IsOptional()
  regex?: string;
}

/** An extra request the page makes by script (JSON), which the HTTP path makes itself. */
export class SideRequestSpec {
  @Matches(NAME, { message: NAME_MESSAGE })
  @IsNonEmptyString()
  name!: string;

  /** Path with `{variable}` placeholders: page variables or `{os_number}`. */
  @IsTargetPath()
  url_template!: string;

  @IsIn(HTTP_METHODS, { message: oneOf(HTTP_METHODS) })
  method: HttpMethod = 'GET';

  /** Form body for POST; values may hold placeholders too. */
  @IsStringRecord()
  @IsOptional()
  form?: Record<string, string>;

  /** A response of another type (e.g. the login page as HTML) means the session is gone. */
  @IsNonEmptyString()
  expect_content_type: string = 'application/json';
}

/** What a browser must not download. */
export class BlockSpec {
  @IsIn(BROWSER_RESOURCE_TYPES, {
    each: true,
    message: `each value ${oneOf(BROWSER_RESOURCE_TYPES)}`,
  })
  @IsArray({ message: 'must be an array' })
  resource_types: BrowserResourceType[] = [];

  /** Globs over the full URL, as in Playwright: `**` any characters, `*` any but "/". */
  @IsNonEmptyString({ each: true })
  @IsArray({ message: 'must be an array' })
  url_patterns: string[] = [];
}

export class WaitForSpec {
  /** A browser waits for this before reading; list the "not found"/"expired" markers too. */
  @IsCssSelector()
  @IsOptional()
  selector?: string;

  /** "Any of": the wait ends when one of these is on the page (OS, not found, session ended). */
  @IsCssSelector({ each: true })
  @ArrayMinSize(1, { message: 'must list at least one selector' })
  @IsArray({ message: 'must be an array' })
  @IsOptional()
  selectors?: string[];

  /** Once a selector is there, read when the page has not changed for this long. */
  @Max(30_000, { message: 'must be at most 30000' })
  @Min(0, { message: 'must be at least 0' })
  @IsInt({ message: 'must be an integer (milliseconds)' })
  @IsOptional()
  settle_ms?: number;

  @Max(120_000, { message: 'must be at most 120000' })
  @Min(1, { message: 'must be at least 1' })
  @IsInt({ message: 'must be an integer (milliseconds)' })
  @IsOptional()
  timeout_ms?: number;
}

export class TimeoutsSpec {
  @Max(300_000, { message: 'must be at most 300000' })
  @Min(1, { message: 'must be at least 1' })
  @IsInt({ message: 'must be an integer (milliseconds)' })
  @IsOptional()
  navigation_ms?: number;

  @Max(300_000, { message: 'must be at most 300000' })
  @Min(1, { message: 'must be at least 1' })
  @IsInt({ message: 'must be an integer (milliseconds)' })
  @IsOptional()
  request_ms?: number;
}

/** Keeps stored OS whose status is not final fresh (docs/target-profile.md, "Freshness"). */
export class FreshnessSpec {
  /** The field (one of `fields`) that holds the OS status. */
  @Matches(NAME, { message: NAME_MESSAGE })
  @IsNonEmptyString()
  status_field!: string;

  /** Status values after which an OS no longer changes; other values are re-read. */
  @IsNonEmptyString({ each: true })
  @ArrayMinSize(1, { message: 'must list at least one final value' })
  @IsArray({ message: 'must be an array of strings' })
  final_values!: string[];

  /** An open OS is re-read once its last read is older than this. */
  @Max(525_600, { message: 'must be at most 525600 (one year)' })
  @Min(1, { message: 'must be at least 1' })
  @IsInt({ message: 'must be an integer (minutes)' })
  max_age_minutes!: number;
}

export class TargetProfile {
  @IsNonEmptyString()
  name!: string;

  @IsNonEmptyString()
  @IsOptional()
  description?: string;

  /** Origin (and optional path prefix) of the target; every path in the profile is under it. */
  @IsHttpUrl()
  base_url!: string;

  /** Charset assumed when a response declares none. */
  @IsIn(CHARSETS, { message: oneOf(CHARSETS) })
  @IsOptional()
  default_charset?: Charset;

  /** OS numbers users may ask for; anything else is rejected before reaching the target. */
  @IsRegexPattern({ anchored: true })
  os_number_pattern!: string;

  /** How a number is written before it is checked, stored and looked up; default `keep`. */
  @IsIn(OS_NUMBER_NORMALIZATIONS, { message: oneOf(OS_NUMBER_NORMALIZATIONS) })
  @IsOptional()
  os_number_normalize?: OsNumberNormalization;

  @Type(() => LoginSpec)
  @ValidateNested({ message: 'must be an object' })
  @IsDefined({ message: 'is required' })
  login!: LoginSpec;

  @Type(() => UnknownLookup, {
    discriminator: {
      property: 'mode',
      subTypes: [
        { value: UrlLookup, name: 'url' },
        { value: SearchLookup, name: 'search' },
      ],
    },
    keepDiscriminatorProperty: true,
  })
  @ValidateNested({ message: 'must be an object with mode "url" or "search"' })
  @IsDefined({ message: 'is required' })
  lookup!: LookupSpec;

  /** A page (detail or search result) saying the OS does not exist. */
  @Type(() => PagePattern)
  @ValidateNested({ message: 'must be an object' })
  @IsDefined({ message: 'is required' })
  not_found!: PagePattern;

  /** A page saying the OS exists but this account may not see it (outcome `forbidden`). */
  @Type(() => PagePattern)
  @ValidateNested({ message: 'must be an object' })
  @IsOptional()
  forbidden?: PagePattern;

  @Type(() => FieldSpec)
  @ValidateNested({ each: true, message: 'must be an object' })
  @ArrayMinSize(1, { message: 'must list at least one field' })
  @IsArray({ message: 'must be an array' })
  fields!: FieldSpec[];

  @Type(() => TableSpec)
  @ValidateNested({ each: true, message: 'must be an object' })
  @IsArray({ message: 'must be an array' })
  tables: TableSpec[] = [];

  @Type(() => PageVariableSpec)
  @ValidateNested({ each: true, message: 'must be an object' })
  @IsArray({ message: 'must be an array' })
  page_variables: PageVariableSpec[] = [];

  @Type(() => SideRequestSpec)
  @ValidateNested({ each: true, message: 'must be an object' })
  @IsArray({ message: 'must be an array' })
  side_requests: SideRequestSpec[] = [];

  @Type(() => BlockSpec)
  @ValidateNested({ message: 'must be an object' })
  block: BlockSpec = new BlockSpec();

  @Type(() => WaitForSpec)
  @ValidateNested({ message: 'must be an object' })
  @IsOptional()
  wait_for?: WaitForSpec;

  @Type(() => TimeoutsSpec)
  @ValidateNested({ message: 'must be an object' })
  @IsOptional()
  timeouts?: TimeoutsSpec;

  /** The paths to try, in order; without it the service chooses (http, browser, robust, learnt). */
  @IsIn(READ_PATHS, { each: true, message: `each value ${oneOf(READ_PATHS)}` })
  @ArrayMinSize(1, { message: 'must list at least one path' })
  @IsArray({ message: 'must be an array' })
  @IsOptional()
  paths?: ReadPath[];

  /** Without it, stored OS are re-read only when someone asks. */
  @Type(() => FreshnessSpec)
  @ValidateNested({ message: 'must be an object' })
  @IsOptional()
  freshness?: FreshnessSpec;
}
