import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { ConfigError } from '../../config/config.error.js';
import { loadConfig } from '../../config/load-config.js';
import { SCRAPE_PATHS, type ScrapePath } from '../../stats/scrape-outcome.js';
import { isValidOsNumber } from '../extractor/lookup-request.js';
import { extractOrder } from '../extractor/order-extractor.js';
import { explainPage } from '../extractor/page-classifier.js';
import { OsScraperService } from '../os-scraper.service.js';
import { BrowserPath } from '../paths/browser-path.js';
import { HttpPath } from '../paths/http-path.js';
import type { PathReading } from '../paths/path-reading.js';
import { ProfileValidationError } from '../profile/profile-validation.error.js';
import { SessionExpiredError, toScrapeError } from '../scrape-errors.js';
import { SessionPool } from '../session/session-pool.service.js';
import { withPageCapture, type CapturedPage } from '../snapshots/page-capture.js';
import { TargetDefinition } from '../target/target-definition.js';
import { extractionReport } from './extraction-report.js';
import { ProfileTryModule } from './profile-try.module.js';

/**
 * `npm run profile:try -- --profile my-erp.json --number 12345 [--path http|browser|robust]
 * [--out dir]`: logs in to the real target (TARGET_BASE_URL, TARGET_USERNAME, TARGET_PASSWORD),
 * reads one OS with the service's own engine and prints every field and cell with its value or
 * why it is empty, the path, the timings and the logins. The pages read are written to a folder
 * (HTML, side-request JSON, and a PNG from a browser path). Without `--path` the OS is read as the
 * service reads it (HTTP, then browser, then robust). Exit 0 when the OS was read with every
 * required value, 1 otherwise, 2 on a usage error.
 */

interface TryArgs {
  profile: string;
  number: string;
  path?: ScrapePath;
  out?: string;
}

const USAGE =
  'Usage: npm run profile:try -- --profile my-erp.json --number 12345 [--path http|browser|robust] [--out dir]';

function parseArgs(argv: string[]): TryArgs | string {
  const values: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 2) {
    const [key, value] = [argv[i]!, argv[i + 1]];
    if (!['--profile', '--number', '--path', '--out'].includes(key)) return `unknown option ${key}`;
    if (value === undefined) return `${key} needs a value`;
    values[key.slice(2)] = value;
  }
  if (!values.profile || !values.number) return '--profile and --number are required';
  if (values.path !== undefined && !SCRAPE_PATHS.includes(values.path as ScrapePath))
    return `--path must be one of: ${SCRAPE_PATHS.join(', ')}`;
  return {
    profile: values.profile,
    number: values.number,
    path: values.path as ScrapePath | undefined,
    out: values.out,
  };
}

const print = (line = ''): void => void process.stdout.write(`${line}\n`);

/** Writes the pages read into `dir`; returns the files written. */
function savePages(dir: string, pages: Map<ScrapePath, CapturedPage>): string[] {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const [path, page] of pages) {
    files.push(join(dir, `${path}.html`));
    writeFileSync(files.at(-1)!, page.html);
    for (const [name, json] of Object.entries(page.sideResponses ?? {})) {
      files.push(join(dir, `${path}.${name}.json`));
      writeFileSync(files.at(-1)!, JSON.stringify(json, null, 2));
    }
    if (page.screenshot) {
      files.push(join(dir, `${path}.png`));
      writeFileSync(files.at(-1)!, page.screenshot);
    }
  }
  return files;
}

interface ReadSummary {
  outcome: string;
  path: ScrapePath | null;
  attempts: number;
  error?: string;
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    process.stderr.write(`${args}\n${USAGE}\n`);
    return 2;
  }
  const config = loadConfig({ ...process.env, TARGET_PROFILE: args.profile, LOG_LEVEL: 'warn' });
  const app = await NestFactory.createApplicationContext(ProfileTryModule.forRoot(config), {
    logger: ['error', 'warn'],
    abortOnError: false,
  });
  try {
    const target = app.get(TargetDefinition);
    const profile = target.profile;
    if (!isValidOsNumber(profile, args.number)) {
      print(
        `--number ${args.number}: does not match os_number_pattern ${profile.os_number_pattern}`,
      );
      return 1;
    }
    const sessions = app.get(SessionPool);
    const loginsBefore = sessions.stats().logins;
    const started = performance.now();
    print(
      `profile ${profile.name} at ${target.baseUrl}, OS ${args.number}, path ${args.path ?? 'as the service (http → browser → robust)'}`,
    );
    const capture = await withPageCapture(
      { everyBrowserPage: true },
      async (): Promise<ReadSummary> => {
        if (!args.path) {
          const result = await app
            .get(OsScraperService)
            .scrape(args.number, { userId: 'profile:try' });
          return {
            outcome: result.outcome,
            path: result.path,
            attempts: result.attempts,
            error: result.errorCode
              ? `${result.errorCode}: ${result.errorMessage ?? ''}`
              : undefined,
          };
        }
        return readOnePath(
          args.path,
          args.number,
          sessions,
          app.get(HttpPath),
          app.get(BrowserPath),
        );
      },
    );
    const elapsed = Math.round(performance.now() - started);
    const summary = capture.value;
    const logins = sessions.stats().logins - loginsBefore;
    print(
      `outcome ${summary.outcome}${summary.path ? ` via ${summary.path}` : ''} in ${elapsed} ms, ${summary.attempts} attempt(s), ${logins} login(s)`,
    );
    if (summary.error) print(`error ${summary.error}`);

    const page = (summary.path && capture.pages.get(summary.path)) ?? capture.last;
    let complete = false;
    if (page) {
      print();
      print(
        `the ${page.path} page (${page.url ?? '?'}${page.status ? `, HTTP ${page.status}` : ''}):`,
      );
      const context = { status: page.status, url: page.url };
      const report = extractionReport(
        extractOrder(page.html, profile, page.sideResponses ?? {}, {
          ...context,
          diagnostics: true,
        }),
        explainPage(page.html, profile, context),
      );
      for (const line of report.lines) print(line);
      complete = report.complete && summary.outcome === 'success';
    } else {
      print('no page was read (the login or the lookup failed before the OS page)');
    }
    const dir = resolve(args.out ?? join('profile-try', `${args.number}-${Date.now()}`));
    const files = savePages(dir, capture.pages);
    print();
    print(
      files.length > 0
        ? `pages saved in ${dir}: ${files.map((f) => f.slice(dir.length + 1)).join(', ')}`
        : 'no page to save',
    );
    print(complete ? 'OK: the OS was read with every required value' : 'INCOMPLETE');
    return complete ? 0 : 1;
  } finally {
    await app.close();
  }
}

/** One path only, with one more try after a lost session (as the service would log in again). */
async function readOnePath(
  path: ScrapePath,
  osNumber: string,
  sessions: SessionPool,
  http: HttpPath,
  browser: BrowserPath,
): Promise<ReadSummary> {
  for (let attempt = 1; ; attempt++) {
    const session = await sessions.acquire();
    try {
      const outcome: PathReading =
        path === 'http'
          ? await http.read(osNumber, session)
          : path === 'browser'
            ? await browser.read(osNumber, session)
            : await browser.readRobust(osNumber, session);
      return { outcome: outcome.kind === 'ok' ? 'success' : outcome.kind, path, attempts: attempt };
    } catch (error) {
      const scrapeError = toScrapeError(error);
      if (scrapeError instanceof SessionExpiredError && attempt < 2) {
        session.invalidate();
        continue;
      }
      return {
        outcome: 'failed',
        path,
        attempts: attempt,
        error: `${scrapeError.code}: ${scrapeError.message}`,
      };
    } finally {
      await session.release();
    }
  }
}

main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    if (error instanceof ConfigError || error instanceof ProfileValidationError) {
      process.stderr.write(`${error.message}\n`);
    } else {
      process.stderr.write(
        `profile:try failed: ${error instanceof Error ? error.message : String(error)}\n`,
      );
    }
    process.exitCode = 1;
  });
