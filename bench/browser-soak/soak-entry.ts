// The worker under soak, in its own process (started by bench/browser-soak.ts through runTsChild):
// the built service's browser path, exactly as bench/scrape-paths runs it.
import { runAsChild, tellParent } from '../lib/index.js';
import { serviceRunner } from '../scrape-paths/service-runner.js';
import type { BenchLayout, ReadOutcome } from '../scrape-paths/runner-types.js';

export interface SoakInput {
  layout: BenchLayout;
  simulatorUrl: string;
  numbers: string[];
  concurrency: number;
  /** The parent reads this process tree's memory after every `every` OS. */
  every: number;
  workerEnv: Record<string, string>;
}

/** Sent to the parent after every `every` OS: how many are done, and how they ended. */
export interface SoakProgress {
  done: number;
  outcomes: Record<ReadOutcome['kind'], number>;
}

export interface SoakReport {
  outcomes: Record<ReadOutcome['kind'], number>;
  /** The first errors, to tell a broken run from a slow one. */
  errors: string[];
  notes: Record<string, unknown>;
}

runAsChild<SoakInput, SoakReport>(async (input) => {
  const outcomes: Record<ReadOutcome['kind'], number> = { ok: 0, not_found: 0, error: 0 };
  const errors: string[] = [];
  let done = 0;
  const notes = await serviceRunner('browser')(
    { ...input, runner: 'browser', warmup: 0 },
    {
      begin: () => undefined,
      record: (_osNumber, outcome) => {
        outcomes[outcome.kind] += 1;
        if (outcome.kind === 'error' && errors.length < 5) errors.push(outcome.message);
        done += 1;
        if (done % input.every === 0 || done === input.numbers.length)
          tellParent({ done, outcomes: { ...outcomes } } satisfies SoakProgress);
      },
    },
  );
  return { outcomes, errors, notes };
});
