import { answer, ApiError, NetworkError, type ApiClient } from './api-client.js';
import type { BatchAccepted, TaskStatus } from './api-schema.js';
import { followBatch, sleep } from './batch-follower.js';
import { ProgressDisplay } from './progress-display.js';

export interface BatchPlan {
  name: string;
  osNumbers: string[];
  idempotencyKey: string;
}

export interface BatchOutcome {
  plan: BatchPlan;
  accepted: BatchAccepted;
  final: TaskStatus;
}

export interface RunBatchesOptions {
  /** Batches running at once (the service's `scraping_batch` queue runs 2 by default). */
  parallel: number;
  /** Where progress goes: bars on a terminal, lines otherwise. */
  progressStream: NodeJS.WriteStream;
  signal?: AbortSignal;
  /** Called as each batch is accepted (e.g. to remember its task id). */
  onAccepted?(plan: BatchPlan, accepted: BatchAccepted): void;
}

export interface BatchRun {
  outcomes: BatchOutcome[];
  wallTimeMs: number;
}

/** Thrown when a run stops half-way: says which batches the server had already accepted. */
export class BatchRunError extends Error {
  constructor(
    cause: unknown,
    readonly accepted: Array<{ plan: BatchPlan; accepted: BatchAccepted }>,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'BatchRunError';
  }
}

const SUBMIT_ATTEMPTS = 3;

/**
 * Submits batches with at most `parallel` in flight — the next one goes in as soon as one
 * finishes, so the queue never idles and never holds a long backlog — and follows each through
 * its event stream with a progress bar.
 */
export async function runBatches(
  client: ApiClient,
  plans: BatchPlan[],
  options: RunBatchesOptions,
): Promise<BatchRun> {
  const total = plans.reduce((sum, plan) => sum + plan.osNumbers.length, 0);
  const display = new ProgressDisplay({ stream: options.progressStream, total });
  const startedAt = Date.now();
  const outcomes: BatchOutcome[] = new Array(plans.length);
  const accepted: Array<{ plan: BatchPlan; accepted: BatchAccepted }> = [];
  let next = 0;
  let failure: unknown;
  // Submissions go one after the other, so the queue (and the bars) keep the plans' order.
  let submissions: Promise<unknown> = Promise.resolve();
  const submitInOrder = (plan: BatchPlan): Promise<BatchAccepted> => {
    const submitted = submissions.then(() => submitBatch(client, plan, options.signal));
    submissions = submitted.catch(() => undefined);
    return submitted;
  };
  const worker = async () => {
    while (next < plans.length && failure === undefined) {
      const plan = plans[next]!;
      const index = next++;
      try {
        const answer = await submitInOrder(plan);
        accepted.push({ plan, accepted: answer });
        options.onAccepted?.(plan, answer);
        const bar = display.addBatch(answer.task_id, plan.name, answer.total);
        const final = await followBatch(
          client,
          answer.task_id,
          { onProgress: (processed) => bar.progress(processed), onItem: (item) => bar.item(item) },
          { signal: options.signal },
        );
        bar.done(final);
        outcomes[index] = { plan, accepted: answer, final };
      } catch (error) {
        failure ??= error;
      }
    }
  };
  try {
    await Promise.all(
      Array.from({ length: Math.max(1, Math.min(options.parallel, plans.length)) }, worker),
    );
  } finally {
    display.stop();
  }
  if (failure !== undefined) throw new BatchRunError(failure, accepted);
  return { outcomes, wallTimeMs: Date.now() - startedAt };
}

/**
 * POST scraping-batch with the plan's Idempotency-Key. A network error or a 502-504 is retried
 * with the same key, so a submission that did reach the server is not made twice.
 */
export async function submitBatch(
  client: ApiClient,
  plan: BatchPlan,
  signal?: AbortSignal,
): Promise<BatchAccepted> {
  for (let attempt = 1; ; attempt++) {
    try {
      return answer(
        await client.api.POST('/api/desenvolvimento/scraping-batch', {
          body: { os_numbers: plan.osNumbers, batch_name: plan.name },
          params: { header: { 'idempotency-key': plan.idempotencyKey } },
          signal,
        }),
      );
    } catch (error) {
      const transient =
        error instanceof NetworkError ||
        (error instanceof ApiError && [502, 503, 504].includes(error.status));
      if (!transient || attempt >= SUBMIT_ATTEMPTS || signal?.aborted) throw error;
      await sleep(1_000 * 2 ** (attempt - 1), signal);
    }
  }
}
