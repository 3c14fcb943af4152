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

const PSS_READINGS = 9;

runAsChild<RunnerInput, RunnerReport>(async (input) => {
  const sampler = new ProcessSampler().start();
  const window = new ThroughputWindow(sampler, input.warmup, input.numbers.length - input.warmup);
  const outcomes: Record<string, ReadOutcome> = {};
  // At each tenth of the window (10 % to 90 %) the parent reads our PSS (too slow to read from in
  // here): one reading lands anywhere on the sawtooth that context recycling draws.
  const readings = new Set(
    Array.from(
      { length: PSS_READINGS },
      (_, k) => input.warmup + Math.ceil((window.measured * (k + 1)) / (PSS_READINGS + 1)),
    ),
  );
  let finished = 0;
  const runner = await loadRunner(input.runner);
  const notes = await runner(input, {
    begin: () => window.begin(),
    record: (osNumber, outcome) => {
      // A second outcome for one OS would count twice in the window: keep the first.
      if (osNumber in outcomes) return;
      outcomes[osNumber] = outcome;
      window.done();
      if (readings.has(++finished)) tellParent('pss');
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
