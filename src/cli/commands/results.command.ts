import { createWriteStream } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { CliError, UsageError } from '../cli-errors.js';
import { authenticatedClient, stringOption, type Command } from '../command.js';

export const resultsCommand: Command = {
  name: 'results',
  summary: 'download the results of a batch as CSV or JSON',
  help: `Usage: registro-os results <task_id> [--format csv|json] [-o FILE]

Downloads every OS of a batch with its outcome and data
(GET /api/desenvolvimento/scraping-batch/<task_id>/results?format=...).

  --format csv|json   default: from the extension of FILE, else json
                      (CSV is UTF-8 with a BOM and ; as separator, as spreadsheets expect)
  -o, --output FILE   write to FILE (default: standard output)`,
  options: {
    format: { type: 'string' },
    output: { type: 'string', short: 'o' },
  },
  async run({ values, positionals, io }) {
    if (positionals.length !== 1) throw new UsageError('give one task id');
    const output = stringOption(values, 'output');
    const format =
      stringOption(values, 'format') ?? (output?.toLowerCase().endsWith('.csv') ? 'csv' : 'json');
    if (format !== 'csv' && format !== 'json') {
      throw new UsageError(`--format must be csv or json (got "${format}")`);
    }
    const client = await authenticatedClient(values, io.env);
    const { response } = await client.api.GET(
      '/api/desenvolvimento/scraping-batch/{task_id}/results',
      {
        params: { path: { task_id: positionals[0]! }, query: { format } },
        headers: { Accept: format === 'csv' ? 'text/csv' : 'application/json' },
        parseAs: 'stream',
      },
    );
    if (!response.body) throw new CliError('the server sent no results');
    const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
    if (!output || output === '-') {
      // stdout stays open after the copy: the process still has to print nothing else.
      await pipeline(
        body,
        new Writable({ write: (chunk, _enc, done) => io.stdout.write(chunk, done) }),
      );
      return 0;
    }
    let bytes = 0;
    body.on('data', (chunk: Buffer) => (bytes += chunk.length));
    try {
      await pipeline(body, createWriteStream(output));
    } catch (error) {
      throw new CliError(`cannot write ${output}: ${(error as Error).message}`);
    }
    io.stderr.write(`Wrote ${format.toUpperCase()} results (${bytes} bytes) to ${output}\n`);
    return 0;
  },
};
