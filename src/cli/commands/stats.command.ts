import { answer, ApiError } from '../api-client.js';
import type { UserStatistics } from '../api-schema.js';
import { CliError, UsageError } from '../cli-errors.js';
import { authenticatedClient, write, type Command } from '../command.js';
import { formatRows } from '../format.js';

export const statsCommand: Command = {
  name: 'stats',
  summary: 'your scraping statistics',
  help: `Usage: registro-os stats [--json]

Prints your statistics (GET /api/desenvolvimento/scraping-statistics): the totals as a table,
or the whole answer with --json.

  --json   print the answer as JSON`,
  options: { json: { type: 'boolean' } },
  async run({ values, positionals, io }) {
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const client = await authenticatedClient(values, io.env);
    let stats: UserStatistics;
    try {
      stats = answer(await client.api.GET('/api/desenvolvimento/scraping-statistics'));
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        throw new CliError(
          `this server has no statistics endpoint yet (404 for ${error.url}); try a newer server`,
        );
      }
      throw error;
    }
    const totals = stats.totals;
    if (values.json || !totals || typeof totals !== 'object') {
      write(io.stdout, JSON.stringify(stats, null, 2));
      return 0;
    }
    const rows = Object.entries(totals as Record<string, unknown>).map(
      ([key, value]): [string, string] => [
        key,
        value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value),
      ],
    );
    write(io.stdout, `totals\n${formatRows(rows)}`);
    return 0;
  },
};
