import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { serviceNodeOptions } from '../../bench/lib/service-node-options.js';

// The image's NODE_OPTIONS cap V8's young generation (docker/Dockerfile says why). Checked on the
// Node running the tests (CI: the image's major, then the oldest supported): Node must accept the
// options from the environment, and the cap must hold under allocation churn that grows an
// uncapped young generation past it.
// The benchmarks read them the same way, to run our worker as deployed.
const nodeOptions = serviceNodeOptions();

/** Churns short-lived objects, then prints the young generation's size in MB. */
const CHURN = `
  const v8 = require('node:v8');
  let kept = [];
  for (let i = 0; i < 2e6; i++) {
    kept.push({ i, s: 'row ' + i });
    if (kept.length > 100000) kept = [];
  }
  const young = v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
  process.stdout.write(String(young.space_size / 1048576));
`;

function youngGenerationMb(env: NodeJS.ProcessEnv): number {
  const run = spawnSync(process.execPath, ['-e', CHURN], { env, encoding: 'utf8' });
  expect(run.stderr, 'Node refused the options').toBe('');
  expect(run.status).toBe(0);
  return Number(run.stdout);
}

describe("the image's NODE_OPTIONS", () => {
  it('are set, and cap a semi-space in MB', () => {
    expect(nodeOptions).toMatch(/--max-semi-space-size=\d+/);
  });

  it('hold the young generation to two semi-spaces, where Node left alone grows it further', () => {
    const capMb = Number(/--max-semi-space-size=(\d+)/.exec(nodeOptions)?.[1]);
    const { NODE_OPTIONS: _unset, ...withoutOptions } = process.env;
    const capped = youngGenerationMb({ ...withoutOptions, NODE_OPTIONS: nodeOptions });
    const uncapped = youngGenerationMb(withoutOptions);
    expect(capped).toBeGreaterThan(0);
    expect(capped).toBeLessThanOrEqual(2 * capMb);
    expect(uncapped).toBeGreaterThan(2 * capMb);
  });
});
