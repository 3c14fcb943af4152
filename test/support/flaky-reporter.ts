import { appendFileSync } from 'node:fs';
import type { Reporter, TestCase } from 'vitest/node';

/**
 * Names every test that passed only on a retry (CI retries end-to-end and reliability tests once):
 * printed at the end of the run and appended to `VITEST_FLAKY_REPORT` when set, so a flake is
 * seen and fixed rather than hidden by the retry.
 */
export default class FlakyReporter implements Reporter {
  private readonly flaky: string[] = [];

  onTestCaseResult(testCase: TestCase): void {
    const diagnostic = testCase.diagnostic();
    if (!diagnostic?.flaky) return;
    this.flaky.push(
      `FLAKY ${testCase.module.moduleId.replace(`${process.cwd()}/`, '')} > ${testCase.fullName} (passed on retry ${diagnostic.retryCount})`,
    );
  }

  onTestRunEnd(): void {
    if (this.flaky.length === 0) return;
    const lines = `${this.flaky.join('\n')}\n`;
    process.stdout.write(`\n${lines}`);
    if (process.env.VITEST_FLAKY_REPORT) appendFileSync(process.env.VITEST_FLAKY_REPORT, lines);
  }
}
