import { readFileSync } from 'node:fs';
import { extractOrder } from '../extractor/order-extractor.js';
import { explainPage } from '../extractor/page-classifier.js';
import { isValidOsNumber } from '../extractor/lookup-request.js';
import { loadProfile } from '../profile/profile-loader.js';
import { extractionReport } from './extraction-report.js';

/**
 * `profile:check --page saved.html --number N <profile>`: the extractor on a saved page, offline,
 * with the report of `profile:try`. `--side name=file.json` supplies a side request's JSON (the
 * HTTP path's), `--status` and `--url` what the page was served with.
 */
export interface PageCheckArgs {
  profile: string;
  page: string;
  number: string;
  status?: number;
  url?: string;
  side: Record<string, string>;
}

export function parsePageCheckArgs(argv: string[]): PageCheckArgs | string {
  const side: Record<string, string> = {};
  const values: Record<string, string> = {};
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      files.push(arg);
      continue;
    }
    const value = argv[++i];
    if (value === undefined) return `${arg} needs a value`;
    if (arg === '--side') {
      const [name, file] = value.split('=', 2);
      if (!name || !file) return '--side takes name=file.json';
      side[name] = file;
    } else if (['--page', '--number', '--status', '--url'].includes(arg)) {
      values[arg.slice(2)] = value;
    } else return `unknown option ${arg}`;
  }
  if (files.length !== 1) return 'name exactly one profile file';
  if (!values.page || !values.number) return '--page and --number are required';
  const status = values.status === undefined ? undefined : Number(values.status);
  if (status !== undefined && !(Number.isInteger(status) && status >= 100 && status <= 599))
    return '--status must be an HTTP status';
  return {
    profile: files[0]!,
    page: values.page,
    number: values.number,
    status,
    url: values.url,
    side,
  };
}

/** Prints the report; the exit code: 0 when the page is an OS with every required value, else 1. */
export function runPageCheck(args: PageCheckArgs, out: (line: string) => void): number {
  const profile = loadProfile(args.profile);
  if (!isValidOsNumber(profile, args.number)) {
    out(`--number ${args.number}: does not match os_number_pattern ${profile.os_number_pattern}`);
    return 1;
  }
  const html = readFileSync(args.page, 'utf8');
  const sideResponses: Record<string, unknown> = {};
  for (const [name, file] of Object.entries(args.side))
    sideResponses[name] = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  const page = { status: args.status, url: args.url };
  const result = extractOrder(html, profile, sideResponses, { ...page, diagnostics: true });
  out(`page ${args.page} (${html.length} characters), OS ${args.number}, profile ${profile.name}`);
  const report = extractionReport(result, explainPage(html, profile, page));
  for (const line of report.lines) out(line);
  out(report.complete ? 'OK: every required value was read' : 'INCOMPLETE');
  return report.complete ? 0 : 1;
}
