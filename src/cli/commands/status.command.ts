import { answer, ApiError } from '../api-client.js';
import type { TaskStatus } from '../api-schema.js';
import { UsageError } from '../cli-errors.js';
import { authenticatedClient, write, type Command } from '../command.js';
import { describeStatus } from '../task-report.js';

export const statusCommand: Command = {
  name: 'status',
  summary: 'the status of a batch or single-OS task',
  help: `Usage: registro-os status <task_id> [--json]

Prints the status of a batch (GET /api/desenvolvimento/scraping-batch-status/<task_id>) or,
when no batch has that id, of a single-OS task (GET /api/desenvolvimento/scraping-status/<task_id>).

  --json   print the status as the API answers it`,
  options: { json: { type: 'boolean' } },
  async run({ values, positionals, io }) {
    if (positionals.length !== 1) throw new UsageError('give one task id');
    const taskId = positionals[0]!;
    const client = await authenticatedClient(values, io.env);
    let status: TaskStatus;
    try {
      status = answer(
        await client.api.GET('/api/desenvolvimento/scraping-batch-status/{task_id}', {
          params: { path: { task_id: taskId } },
        }),
      );
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error;
      status = answer(
        await client.api.GET('/api/desenvolvimento/scraping-status/{task_id}', {
          params: { path: { task_id: taskId } },
        }),
      );
    }
    write(io.stdout, values.json ? JSON.stringify(status, null, 2) : describeStatus(status));
    return 0;
  },
};
