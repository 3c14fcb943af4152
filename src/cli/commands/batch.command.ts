import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { BatchRunError, runBatches, submitBatch, type BatchPlan } from '../batch-runner.js';
import { CliError, describeError, UsageError } from '../cli-errors.js';
import { authenticatedClient, stringOption, write, type Command } from '../command.js';
import { formatDuration, formatRows } from '../format.js';
import { chunk, parseOsList } from '../os-list.js';
import { readAll } from '../prompt.js';
import { batchTable, pathsText, totalsOf } from '../run-summary.js';

export const batchCommand: Command = {
  name: 'batch',
  summary: 'read many OS from a file or stdin, in batches of 100, with progress bars',
  help: `Usage: registro-os batch <file|-> [--name NAME] [--size N] [--parallel N] [--no-wait]
                          [--idempotency-key KEY]

Reads OS numbers from a file (or - for standard input), one a line or separated by commas or
spaces (# starts a comment; repeats are dropped), splits them into batches, submits each
(POST /api/desenvolvimento/scraping-batch) and follows them with progress bars from their event
streams, then prints a summary. Exit code 1 if any OS failed or any batch did not complete.

  --name NAME             batch names are NAME_1_de_N, NAME_2_de_N... (default Lote)
  --size N                OS per batch (default 100, the server's usual limit)
  --parallel N            batches followed at once (default 2: the server runs 2 at a time)
  --no-wait               submit every batch, print their task ids and return
  --idempotency-key KEY   keys are KEY:1, KEY:2...; running the same command again with the
                          same KEY returns the batches already accepted instead of new ones
                          (default: a fresh random KEY, printed)`,
  options: {
    name: { type: 'string' },
    size: { type: 'string' },
    parallel: { type: 'string' },
    'no-wait': { type: 'boolean' },
    'idempotency-key': { type: 'string' },
  },
  async run({ values, positionals, io }) {
    if (positionals.length !== 1)
      throw new UsageError('give one file of OS numbers, or - for stdin');
    const size = positiveInt(values, 'size', 100);
    const parallel = positiveInt(values, 'parallel', 2);
    const source = positionals[0]!;
    const osNumbers = parseOsList(await readSource(source, io.stdin));
    if (osNumbers.length === 0)
      throw new CliError(`no OS numbers in ${source === '-' ? 'stdin' : source}`);
    const client = await authenticatedClient(values, io.env);

    const prefix = stringOption(values, 'name') ?? 'Lote';
    const key = stringOption(values, 'idempotency-key') ?? randomUUID();
    const chunks = chunk(osNumbers, size);
    const plans: BatchPlan[] = chunks.map((osList, i) => ({
      name: `${prefix}_${i + 1}_de_${chunks.length}`,
      osNumbers: osList,
      idempotencyKey: `${key}:${i + 1}`,
    }));
    io.stderr.write(
      `${osNumbers.length} OS in ${plans.length} batch${plans.length === 1 ? '' : 'es'} of up to ${size} (idempotency key ${key})\n`,
    );

    if (values['no-wait']) {
      for (const plan of plans) {
        const accepted = await submitBatch(client, plan);
        write(
          io.stdout,
          `${accepted.task_id}  ${plan.name}  ${accepted.total} OS  ${accepted.state}`,
        );
      }
      return 0;
    }

    let run;
    try {
      run = await runBatches(client, plans, { parallel, progressStream: io.stderr });
    } catch (error) {
      if (!(error instanceof BatchRunError)) throw error;
      const lines = [describeError(error.cause)];
      if (error.accepted.length > 0) {
        lines.push(
          'These batches were accepted and go on on the server (registro-os status <task_id>):',
        );
        for (const { plan, accepted } of error.accepted)
          lines.push(`  ${accepted.task_id}  ${plan.name}`);
        lines.push(
          `Run the same command with --idempotency-key ${key} to resume without duplicates.`,
        );
      }
      throw new CliError(lines.join('\n'));
    }
    const totals = totalsOf(run);
    write(io.stdout, batchTable(run));
    write(
      io.stdout,
      `\n${formatRows([
        ['OS', totals.total],
        ['success', totals.success],
        ['not found', totals.notFound],
        ['failed', totals.failed],
        ['wall time', formatDuration(totals.wallTimeMs)],
        ['OS per minute', Math.round(totals.osPerMinute)],
        ['paths', pathsText(totals.paths)],
        ['retries', totals.retries],
      ])}`,
    );
    const incomplete = run.outcomes.some(({ final }) => final.status !== 'completed');
    return totals.failed > 0 || incomplete ? 1 : 0;
  },
};

async function readSource(source: string, stdin: NodeJS.ReadStream): Promise<string> {
  if (source === '-') return readAll(stdin);
  try {
    return await readFile(source, 'utf8');
  } catch (error) {
    throw new CliError(
      `cannot read ${source}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
}

function positiveInt(values: Record<string, unknown>, name: string, fallback: number): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new UsageError(`--${name} must be a positive integer (got "${String(raw)}")`);
  }
  return value;
}
