// One runner in its own process (started by bench/scrape-paths.ts through runTsChild).
import { ProcessSampler, runAsChild, tellParent, ThroughputWindow } from '../lib/index.js';
import type { ReadOutcome, Runner, RunnerInput, RunnerName, RunnerReport } from './runner-types.js';

/** Loads only the runner's own module, so a Crawlee run never carries Nest's and vice versa. */
async function loadRunner(name: RunnerName): Promise<Runner> {
  switch (name) {
    case 'http':
    case 'browser':
    case 'robust':
    case 'auto':
      return (await import('./service-runner.js')).serviceRunner(name);
    case 'cheerio':
      return (await import('./cheerio-runner.js')).cheerioRunner;
    case 'limit':
      return (await import('./limit-runner.js')).limitRunner;
    case 'playwright':
      return (await import('./playwright-runner.js')).playwrightRunner;
  }
}

runAsChild<RunnerInput, RunnerReport>(async (input) => {
  const sampler = new ProcessSampler().start();
  const window = new ThroughputWindow(sampler, input.warmup, input.numbers.length - input.warmup);
  const outcomes: Record<string, ReadOutcome> = {};
  // Halfway through the window, the parent reads our PSS (too slow to read from in here).
  const midpoint = input.warmup + Math.ceil(window.measured / 2);
  let finished = 0;
  const runner = await loadRunner(input.runner);
  const notes = await runner(input, {
    begin: () => window.begin(),
    record: (osNumber, outcome) => {
      // A second outcome for one OS would count twice in the window: keep the first.
      if (osNumber in outcomes) return;
      outcomes[osNumber] = outcome;
      window.done();
      if (++finished === midpoint) tellParent('midpoint');
    },
  });
  sampler.stop();
  return {
    runner: input.runner,
    warmup: input.warmup,
    window: window.result(),
    peak: sampler.peak(),
    outcomes,
    notes,
  };
});
