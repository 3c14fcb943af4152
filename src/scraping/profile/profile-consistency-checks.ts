import type {
  ColumnSpec,
  FieldSpec,
  PagePattern,
  PageVariableSpec,
  SideRequestSpec,
  TableSpec,
  TargetProfile,
} from './target-profile.js';

/**
 * Rules that span several properties, which decorators cannot express: unique names, references
 * between sections, template variables that exist, browser-safe selectors. Written defensively:
 * they run even when the structural validation already failed, so one run lists every problem.
 */

/** Variables of a `{name}` template, in order. */
export function templateVariables(template: string): string[] {
  return [...template.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]);
}

// Pseudo-classes cheerio understands but browsers reject; selectors a browser uses must avoid them.
const CHEERIO_ONLY =
  /:(contains|icontains|eq|gt|lt|even|odd|first|last|header|parent|selected)(?![\w-])/;

const list = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function checkPattern(path: string, pattern: PagePattern | undefined, out: string[]): void {
  if (!isObject(pattern)) return;
  if (
    list(pattern.selectors).length === 0 &&
    list(pattern.text_patterns).length === 0 &&
    list(pattern.status_codes).length === 0 &&
    pattern.url_pattern === undefined
  ) {
    out.push(
      `${path}: must have at least one selector or text pattern (or status_codes, url_pattern)`,
    );
  }
}

function checkDuplicates(
  path: string,
  items: { name?: unknown }[],
  out: string[],
  taken = new Set<string>(),
): void {
  items.forEach((item, index) => {
    if (!isObject(item) || typeof item.name !== 'string') return;
    if (taken.has(item.name)) out.push(`${path}[${index}].name: duplicate name "${item.name}"`);
    taken.add(item.name);
  });
}

function checkValueSpec(path: string, spec: FieldSpec, out: string[]): void {
  if (!isObject(spec)) return;
  if (spec.enum_values !== undefined && spec.type !== 'enum') {
    out.push(`${path}.enum_values: only allowed when type is "enum"`);
  }
  if (spec.attribute !== undefined && spec.source !== 'attribute') {
    out.push(`${path}.attribute: only allowed when source is "attribute"`);
  }
}

function checkBrowserSelector(path: string, selector: unknown, out: string[]): void {
  if (typeof selector === 'string' && CHEERIO_ONLY.test(selector)) {
    out.push(
      `${path}: a browser uses this selector; "${CHEERIO_ONLY.exec(selector)![0]}" works only in cheerio`,
    );
  }
}

/** The status field of `freshness` is a top-level field, and its final values can occur. */
function checkFreshness(profile: TargetProfile, fields: FieldSpec[], out: string[]): void {
  const freshness = isObject(profile.freshness) ? profile.freshness : undefined;
  if (!freshness || typeof freshness.status_field !== 'string') return;
  const field = fields.find((f) => isObject(f) && f.name === freshness.status_field);
  if (!field) {
    out.push(`freshness.status_field: no field named "${freshness.status_field}" in fields`);
    return;
  }
  if (field.type !== 'enum' || !Array.isArray(field.enum_values)) return;
  for (const value of list<unknown>(freshness.final_values)) {
    if (typeof value === 'string' && !field.enum_values.includes(value)) {
      out.push(
        `freshness.final_values: "${value}" is not one of the enum_values of field "${field.name}"`,
      );
    }
  }
}

/** Keys the browser login, lookup and wait read (docs/target-profile.md, "Which keys each path reads"). */
function checkBrowserEngine(profile: TargetProfile, out: string[]): void {
  const login = isObject(profile.login) ? profile.login : undefined;
  const mode = login?.mode ?? 'auto';
  // A browser login looks for these with querySelector, which has no cheerio-only pseudo-classes.
  if (login && mode !== 'http') {
    for (const key of ['success', 'failure', 'login_page', 'session_expired'] as const) {
      const pattern: unknown = login[key];
      if (!isObject(pattern)) continue;
      list<string>(pattern.selectors).forEach((selector, i) =>
        checkBrowserSelector(`login.${key}.selectors[${i}]`, selector, out),
      );
    }
  }
  const paths = list<string>(profile.paths);
  paths.forEach((path, i) => {
    if (paths.indexOf(path) !== i) out.push(`paths[${i}]: "${path}" is listed twice`);
  });
  const wait = isObject(profile.wait_for) ? profile.wait_for : undefined;
  if (wait) {
    if (wait.selector === undefined && wait.selectors === undefined)
      out.push('wait_for: must have selector or selectors');
    list<string>(wait.selectors).forEach((selector, i) =>
      checkBrowserSelector(`wait_for.selectors[${i}]`, selector, out),
    );
  }
  const lookup = isObject(profile.lookup) ? profile.lookup : undefined;
  if (lookup?.mode === 'search' && lookup.form_selector !== undefined) {
    checkBrowserSelector('lookup.result_link_selector', lookup.result_link_selector, out);
    if (isObject(profile.not_found))
      list<string>(profile.not_found.selectors).forEach((selector, i) =>
        checkBrowserSelector(`not_found.selectors[${i}]`, selector, out),
      );
  }
  if (lookup?.mode === 'search' && lookup.submit_selector !== undefined && !lookup.form_selector)
    out.push(
      'lookup.form_selector: is required with lookup.submit_selector (the browser fills that form)',
    );
}

export function profileConsistencyProblems(profile: TargetProfile): string[] {
  const out: string[] = [];
  const login = isObject(profile.login) ? profile.login : undefined;
  if (login) {
    checkPattern('login.success', login.success, out);
    checkPattern('login.session_expired', login.session_expired, out);
    checkPattern('login.login_page', login.login_page, out);
    checkPattern('login.failure', login.failure, out);
    checkBrowserSelector('login.form_selector', login.form_selector, out);
    checkBrowserSelector('login.submit_selector', login.submit_selector, out);
  }
  checkPattern('not_found', profile.not_found, out);
  checkPattern('forbidden', profile.forbidden, out);

  const lookup = isObject(profile.lookup) ? profile.lookup : undefined;
  if (lookup?.mode === 'url' && typeof lookup.url_template === 'string') {
    for (const name of templateVariables(lookup.url_template)) {
      if (name !== 'os_number')
        out.push(`lookup.url_template: unknown variable {${name}} (only {os_number})`);
    }
  }
  if (lookup?.mode === 'search') {
    checkBrowserSelector('lookup.form_selector', lookup.form_selector, out);
    checkBrowserSelector('lookup.submit_selector', lookup.submit_selector, out);
  }
  if (isObject(profile.wait_for))
    checkBrowserSelector('wait_for.selector', profile.wait_for.selector, out);
  checkBrowserEngine(profile, out);

  const fields = list<FieldSpec>(profile.fields);
  const tables = list<TableSpec>(profile.tables);
  const fieldNames = new Set<string>();
  checkDuplicates('fields', fields, out, fieldNames);
  checkDuplicates('tables', tables, out, fieldNames);
  fields.forEach((field, i) => checkValueSpec(`fields[${i}]`, field, out));
  fields.forEach((field, i) => checkReadingKeys(`fields[${i}]`, field, false, out));
  checkFreshness(profile, fields, out);

  const sideRequests = list<SideRequestSpec>(profile.side_requests);
  const variables = list<PageVariableSpec>(profile.page_variables);
  checkDuplicates('side_requests', sideRequests, out);
  checkDuplicates('page_variables', variables, out);

  tables.forEach((table, t) => {
    if (!isObject(table)) return;
    const columns = list<ColumnSpec>(table.columns);
    checkDuplicates(`tables[${t}].columns`, columns, out);
    columns.forEach((column, c) => checkValueSpec(`tables[${t}].columns[${c}]`, column, out));
    columns.forEach((column, c) =>
      checkReadingKeys(`tables[${t}].columns[${c}]`, column, true, out),
    );
    const fallback = table.json_fallback;
    if (!isObject(fallback) || typeof fallback.side_request !== 'string') return;
    if (
      !sideRequests.some((request) => isObject(request) && request.name === fallback.side_request)
    ) {
      out.push(
        `tables[${t}].json_fallback.side_request: no side request named "${fallback.side_request}"`,
      );
    }
    columns.forEach((column, c) => {
      if (isObject(column) && column.json_key === undefined) {
        out.push(
          `tables[${t}].columns[${c}].json_key: is required when the table has a json_fallback`,
        );
      }
    });
  });

  const known = new Set(['os_number']);
  variables.forEach((variable, v) => {
    if (!isObject(variable)) return;
    if (typeof variable.name === 'string') known.add(variable.name);
    if (variable.selector === undefined && variable.regex === undefined) {
      out.push(`page_variables[${v}]: must have a selector, a regex or both`);
    }
    if (variable.attribute !== undefined && variable.selector === undefined) {
      out.push(`page_variables[${v}].attribute: only allowed with a selector`);
    }
  });
  sideRequests.forEach((request, r) => {
    if (!isObject(request)) return;
    const templates = [
      ['url_template', request.url_template] as const,
      ...Object.entries(isObject(request.form) ? request.form : {}).map(
        ([key, value]) => [`form.${key}`, value] as const,
      ),
    ];
    for (const [where, template] of templates) {
      if (typeof template !== 'string') continue;
      for (const name of templateVariables(template)) {
        if (!known.has(name)) out.push(`side_requests[${r}].${where}: unknown variable {${name}}`);
      }
    }
  });
  return out;
}

const NUMERIC_TYPES = new Set(['integer', 'decimal', 'money_brl']);

/** Keys for labels, embedded script data, formats and text modes: each only where it has a meaning. */
function checkReadingKeys(path: string, spec: FieldSpec, column: boolean, out: string[]): void {
  if (!isObject(spec)) return;
  const ways = ['label', 'label_pattern', 'script'].filter(
    (key) => (spec as unknown as Record<string, unknown>)[key] !== undefined,
  );
  if (column) {
    for (const key of ways)
      out.push(`${path}.${key}: only allowed in fields, not in table columns`);
    if (spec.selector === undefined) out.push(`${path}.selector: is required`);
  }
  if (spec.label !== undefined && spec.label_pattern !== undefined)
    out.push(`${path}.label_pattern: use either label or label_pattern, not both`);
  if (spec.script !== undefined && ways.length > 1)
    out.push(`${path}.script: cannot be combined with label or label_pattern`);
  if (spec.script !== undefined && spec.selector !== undefined)
    out.push(
      `${path}.selector: not used with script (put the script's selector in script.selector)`,
    );
  if (spec.script !== undefined && spec.source === 'attribute')
    out.push(`${path}.source: "attribute" does not apply to script data`);
  if (spec.format !== undefined && spec.type !== 'date')
    out.push(`${path}.format: only allowed when type is "date"`);
  for (const key of ['decimal_separator', 'thousands_separator'] as const) {
    if (spec[key] !== undefined && !NUMERIC_TYPES.has(spec.type))
      out.push(`${path}.${key}: only allowed when type is "integer", "decimal" or "money_brl"`);
  }
  if (spec.decimal_separator !== undefined && spec.decimal_separator === spec.thousands_separator)
    out.push(`${path}.thousands_separator: must differ from decimal_separator`);
  if (spec.text_mode !== undefined && spec.type !== 'string')
    out.push(`${path}.text_mode: only allowed when type is "string"`);
}
