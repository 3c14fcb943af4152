import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// SWC instead of esbuild: Nest's dependency injection needs emitted decorator metadata.
const plugins = [swc.vite({ module: { type: 'es6' } })];

// Tests on the real stack (processes, Chromium, timers under a shared CPU) may be retried where
// TEST_RETRIES says so (.ci/run: once); the flaky reporter names every test that needed it.
// Unset, as locally, a failure is a failure.
const REAL_STACK_RETRIES = Number(process.env.TEST_RETRIES ?? 0);

export default defineConfig({
  plugins,
  test: {
    // Test files talk to real PostgreSQL, Redis and Chromium; each owns its database and key prefix.
    pool: 'forks',
    maxWorkers: 2,
    // CI asks for a JSON report too, to print the pass/fail counts; flakes are always named.
    reporters: [
      'default',
      './test/support/flaky-reporter.ts',
      ...(process.env.VITEST_JSON_REPORT
        ? [
            ['json', { outputFile: process.env.VITEST_JSON_REPORT }] as [
              string,
              Record<string, unknown>,
            ],
          ]
        : []),
    ],
    projects: [
      {
        plugins,
        test: {
          name: 'unit',
          include: ['src/**/*.spec.ts', 'test/unit/**/*.spec.ts'],
          testTimeout: 20_000,
        },
      },
      {
        plugins,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e-spec.ts', 'test/simulator/**/*.spec.ts'],
          retry: REAL_STACK_RETRIES,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        plugins,
        test: {
          name: 'reliability',
          include: ['test/reliability/**/*.spec.ts'],
          retry: REAL_STACK_RETRIES,
          // Runs of batches with faults, started processes and load: generous, never asserted.
          testTimeout: 600_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
