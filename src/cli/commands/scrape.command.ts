import { answer } from '../api-client.js';
import type { ScrapeAccepted, TaskStatus } from '../api-schema.js';
import { sleep } from '../batch-follower.js';
import { UsageError } from '../cli-errors.js';
import { authenticatedClient, write, type Command } from '../command.js';
import { describeItem } from '../task-report.js';

export const scrapeCommand: Command = {
  name: 'scrape',
  summary: 'read one OS and print the outcome',
  help: `Usage: registro-os scrape <os_number> [--no-wait] [--data] [--json]

Queues one OS (POST /api/desenvolvimento/scraping), then polls its status until it is done
and prints the outcome. Exit code 1 when the OS failed ("not found" is an answer, exit 0).

  --no-wait   print the task id and return at once (follow it with: registro-os status <id>)
  --data      also print the data read (GET /api/desenvolvimento/os/<os_number>)
  --json      print the final status as JSON`,
  options: {
    'no-wait': { type: 'boolean' },
    data: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run({ values, positionals, io }) {
    if (positionals.length !== 1) throw new UsageError('give exactly one OS number');
    const osNumber = positionals[0]!;
    const client = await authenticatedClient(values, io.env);
    const accepted: ScrapeAccepted = answer(
      await client.api.POST('/api/desenvolvimento/scraping', { body: { os_number: osNumber } }),
    );
    if (values['no-wait'] && !accepted.inline) {
      if (values.json) write(io.stdout, JSON.stringify(accepted, null, 2));
      else
        write(
          io.stdout,
          `OS ${accepted.os_number} queued as task ${accepted.task_id} (${accepted.state})`,
        );
      return 0;
    }
    let status: TaskStatus;
    let lastState = accepted.state;
    for (;;) {
      status = answer(
        await client.api.GET('/api/desenvolvimento/scraping-status/{task_id}', {
          params: { path: { task_id: accepted.task_id } },
        }),
      );
      if (status.status !== 'processing') break;
      if (status.state !== lastState && status.state === 'throttled') {
        io.stderr.write(
          `OS ${osNumber} is waiting for your hourly rate (throttled); it stays queued if you stop waiting (Ctrl+C).\n`,
        );
      }
      lastState = status.state;
      await sleep(500);
    }
    const item = status.result?.items[0];
    if (values.json) write(io.stdout, JSON.stringify(status, null, 2));
    else write(io.stdout, item ? describeItem(item) : `task ${status.task_id}: ${status.status}`);
    if (values.data && item?.outcome === 'success') {
      const stored = answer(
        await client.api.GET('/api/desenvolvimento/os/{os_number}', {
          params: { path: { os_number: item.os_number } },
        }),
      );
      // 202 instead of the data: the OS is being read again (the status answer says so).
      write(io.stdout, JSON.stringify('data' in stored ? stored.data : stored, null, 2));
    }
    return status.status === 'completed' && item?.outcome !== 'failed' ? 0 : 1;
  },
};
