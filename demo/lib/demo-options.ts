import { parseArgs } from 'node:util';
import { DemoError } from './demo-error.js';

export interface DemoOptions {
  count: number;
  keep: boolean;
  layout: 'a' | 'b' | 'c';
  help: boolean;
}

export const DEMO_HELP = `Usage: npm run demo -- [--count N] [--keep] [--layout a|b|c]

Starts the ERP simulator and the service, logs in as a demo user through the REST API and reads
N service orders the way the original system's users did ("1000 OS": batches of 100), then
checks every result against the simulator's truth and prints a summary.

  --count N      OS to read (default 1000)
  --keep         stay up afterwards to explore (Swagger, admin page, queue board); Ctrl+C stops
  --layout a|b|c the simulator's page layout (the service gets the matching profile); c is
                 script-only (script login, postback search, data rendered by script): read
                 through the browser path
  -h, --help     this help

Environment: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/registro_os_demo; the
demo recreates this database, so its name must contain "demo"), REDIS_URL (default
redis://127.0.0.1:6379/0), CHROMIUM_PATH (default: the Chromium "npx playwright install
chromium" installed, else the system's chromium).`;

export function parseDemoOptions(argv: string[]): DemoOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        count: { type: 'string' },
        keep: { type: 'boolean' },
        layout: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    throw new DemoError(`${(error as Error).message}\n\n${DEMO_HELP}`);
  }
  const count = values.count === undefined ? 1000 : Number(values.count);
  if (!Number.isInteger(count) || count < 1 || count > 100_000) {
    throw new DemoError(`--count must be a whole number from 1 to 100000 (got "${values.count}")`);
  }
  const layout = values.layout ?? 'a';
  if (layout !== 'a' && layout !== 'b' && layout !== 'c') {
    throw new DemoError(`--layout must be a, b or c (got "${layout}")`);
  }
  return { count, keep: values.keep ?? false, layout, help: values.help ?? false };
}
