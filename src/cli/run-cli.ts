import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { CliError, describeError, UsageError } from './cli-errors.js';
import {
  GLOBAL_HELP,
  GLOBAL_OPTIONS,
  type CliIo,
  type Command,
  type OptionValues,
} from './command.js';
import { batchCommand } from './commands/batch.command.js';
import { loginCommand } from './commands/login.command.js';
import { resultsCommand } from './commands/results.command.js';
import { scrapeCommand } from './commands/scrape.command.js';
import { statsCommand } from './commands/stats.command.js';
import { statusCommand } from './commands/status.command.js';

export const COMMANDS: Command[] = [
  loginCommand,
  scrapeCommand,
  batchCommand,
  statusCommand,
  resultsCommand,
  statsCommand,
];

export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_USAGE = 2;

function generalHelp(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return `Usage: registro-os <command> [options]

A client for the RegistroOS Scraper service: reads service orders (OS) from the legacy ERP.

Commands:
${COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`).join('\n')}

${GLOBAL_HELP}

Run registro-os <command> --help for a command's options.
Exit codes: 0 ok, 1 error, 2 wrong usage.`;
}

/** Runs one command line; answers the exit code and never throws. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic =
      name === 'help' ? COMMANDS.find((command) => command.name === rest[0]) : undefined;
    io[name === undefined ? 'stderr' : 'stdout'].write(
      `${topic ? `${topic.help}\n\n${GLOBAL_HELP}` : generalHelp()}\n`,
    );
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${await version()}\n`);
    return EXIT_OK;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) {
    io.stderr.write(
      `registro-os: unknown command "${name}"; the commands are ${COMMANDS.map((c) => c.name).join(', ')} (registro-os --help)\n`,
    );
    return EXIT_USAGE;
  }
  try {
    let parsed: { values: OptionValues; positionals: string[] };
    try {
      parsed = parseArgs({
        args: rest,
        options: { ...GLOBAL_OPTIONS, ...command.options },
        allowPositionals: true,
        strict: true,
      });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    if (parsed.values.help) {
      io.stdout.write(`${command.help}\n\n${GLOBAL_HELP}\n`);
      return EXIT_OK;
    }
    return await command.run({ values: parsed.values, positionals: parsed.positionals, io });
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(
        `registro-os ${command.name}: ${error.message}\nRun registro-os ${command.name} --help for its usage.\n`,
      );
      return EXIT_USAGE;
    }
    const message = error instanceof CliError ? error.message : describeError(error);
    io.stderr.write(`registro-os ${command.name}: ${message}\n`);
    return EXIT_ERROR;
  }
}

async function version(): Promise<string> {
  try {
    // dist/cli/run-cli.js and src/cli/run-cli.ts are both two levels below package.json.
    const pkg = JSON.parse(
      await readFile(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as {
      version?: string;
    };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
