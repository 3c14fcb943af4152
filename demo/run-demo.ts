/**
 * `npm run demo`: the whole product on one machine in one command. Checks what it needs, builds
 * if needed, starts the ERP simulator and the service, reads N OS through the REST API as a
 * demo user (the original's "1000 OS" strategy), checks every result against the simulator's
 * truth and prints a summary, the dashboard's headline figures and where to look next.
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { answer, ApiClient, ApiError, NetworkError } from '../src/cli/api-client.js';
import { BatchRunError, runBatches, type BatchPlan } from '../src/cli/batch-runner.js';
import { chunk } from '../src/cli/os-list.js';
import { batchTable, totalsOf } from '../src/cli/run-summary.js';
import { startSimulator } from './erp-simulator/index.js';
import { buildReason, buildService } from './lib/build-service.js';
import { resetDemoDatabase } from './lib/demo-database.js';
import { DemoError, MissingPrerequisitesError, reasonOf } from './lib/demo-error.js';
import { DEMO_HELP, parseDemoOptions, type DemoOptions } from './lib/demo-options.js';
import { dashboardText, summaryText } from './lib/demo-report.js';
import { demoEnvironment, missingPrerequisites } from './lib/prerequisites.js';
import { deleteRedisKeys } from './lib/redis-keys.js';
import { ServiceChild } from './lib/service-child.js';
import { checkAgainstTruth } from './lib/truth-check.js';

const ROOT = resolve(import.meta.dirname, '..');
const BATCH_SIZE = 100;
/** The service's `scraping_batch` queue runs 2 batches at a time: keep exactly that many in it. */
const PARALLEL = 2;
const FIRST_OS = 100_001;

/** Cleanup steps, run last-registered first, once, whatever happened. */
const cleanups: Array<{ what: string; run: () => Promise<unknown> }> = [];
let cleaning: Promise<void> | undefined;
const interruption = new AbortController();
let interrupted = false;
/** Ctrl+C or the end of the run: the service exiting from now on is expected. */
let stopping = false;
/** Resolves the `--keep` wait. */
let releaseKeep: (() => void) | undefined;

function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

function step(line: string): void {
  say(`▸ ${line}`);
}

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    while (cleanups.length > 0) {
      const { what, run } = cleanups.pop()!;
      try {
        await run();
      } catch (error) {
        process.stderr.write(`could not ${what}: ${reasonOf(error)}\n`);
      }
    }
  })();
  return cleaning;
}

function onSignal(signal: NodeJS.Signals): void {
  stopping = true;
  if (releaseKeep) {
    releaseKeep();
    return;
  }
  if (interrupted || cleanups.length === 0) {
    // Nothing started yet, or a second Ctrl+C: leave now.
    process.stderr.write(`\n${signal}: stopped.\n`);
    process.exit(130);
  }
  interrupted = true;
  process.stderr.write(`\n${signal}: stopping the service and the simulator…\n`);
  interruption.abort(new DemoError('interrupted'));
}

async function run(options: DemoOptions): Promise<number> {
  const environment = demoEnvironment(process.env);
  step('Checking PostgreSQL, Redis and Chromium');
  const missing = await missingPrerequisites(environment);
  if (missing.length > 0) {
    throw new MissingPrerequisitesError(
      `The demo cannot start: ${missing.length === 1 ? 'one thing is' : 'some things are'} missing.\n\n` +
        missing.map((problem) => `✗ ${problem}`).join('\n\n'),
    );
  }

  const reason = await buildReason(ROOT);
  if (reason) {
    step(`Building the service (${reason}): npx nest build`);
    await buildService(ROOT);
  }
  await resetDemoDatabase(environment.databaseUrl);

  const redisPrefix = `ros-demo-${randomBytes(4).toString('hex')}`;
  cleanups.push({
    what: `delete the Redis keys ${redisPrefix}:*`,
    run: () => deleteRedisKeys(environment.redisUrl, redisPrefix),
  });
  const simulator = await startSimulator({
    truth: true,
    latencyMs: 80,
    jitterMs: 40,
    errorRate: 0.01,
    expireRate: 0.005,
    layout: options.layout,
  });
  cleanups.push({ what: 'close the simulator', run: () => simulator.close() });
  step(
    `ERP simulator (layout ${options.layout}): ${simulator.url} — 80±40 ms per page, 1% errors, 0.5% expired sessions`,
  );

  const admin = { username: 'admin', password: randomBytes(12).toString('base64url') };
  const service = await ServiceChild.start(resolve(ROOT, 'dist/main.js'), {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
    ENV_FILE: 'none',
    DATABASE_URL: environment.databaseUrl,
    REDIS_URL: environment.redisUrl,
    REDIS_PREFIX: redisPrefix,
    CHROMIUM_PATH: environment.chromiumPath,
    TARGET_BASE_URL: simulator.url,
    TARGET_PROFILE:
      options.layout === 'a'
        ? 'profiles/erp-simulator.json'
        : `profiles/erp-simulator-${options.layout}.json`,
    TARGET_USERNAME: 'demo',
    TARGET_PASSWORD: 'demo',
    ADMIN_USERNAME: admin.username,
    ADMIN_PASSWORD: admin.password,
    JWT_SECRET: randomBytes(36).toString('base64url'),
    RATE_LIMIT_BATCHES_PER_HOUR: '1000',
    RATE_LIMIT_OS_PER_HOUR: '100000',
    TARGET_MAX_CONCURRENCY: '10',
    TARGET_MAX_SESSIONS: '10',
    TARGET_MAX_RPS: '0',
    // Webhooks of the demo go to receivers on this machine.
    WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'true',
    QUEUE_BATCH_CONCURRENCY: String(PARALLEL),
    SHUTDOWN_GRACE_MS: '10000',
    LOG_LEVEL: 'warn',
  });
  cleanups.push({ what: 'stop the service', run: () => service.stop() });
  service.onUnexpectedExit((code, output) => {
    if (stopping) return;
    interruption.abort(
      new DemoError(`the service stopped unexpectedly (exit code ${code}):\n${output}`),
    );
    releaseKeep?.();
  });
  step(
    `Starting the service (node dist/main.js all, pid ${service.pid}, Redis prefix ${redisPrefix}) on ${service.url}`,
  );
  await Promise.race([service.waitUntilLive(), aborted()]);

  const api = new ApiClient(service.url);
  const signal = interruption.signal;
  const login = async (username: string, password: string) =>
    api.withToken(
      answer(await api.api.POST('/api/auth/login', { body: { username, password }, signal }))
        .access_token,
    );
  const adminApi = await login(admin.username, admin.password);
  const user = { username: 'demo', password: randomBytes(12).toString('base64url') };
  await adminApi.api.POST('/api/admin/users', { body: { ...user, role: 'user' }, signal });
  const userApi = await login(user.username, user.password);
  step(`Logged in through the REST API as "${user.username}" (a user created by the admin)`);

  const osNumbers = Array.from({ length: options.count }, (_, i) => String(FIRST_OS + i));
  const chunks = chunk(osNumbers, BATCH_SIZE);
  const plans: BatchPlan[] = chunks.map((list, i) => ({
    name: `Lote_${i + 1}_de_${chunks.length}`,
    osNumbers: list,
    idempotencyKey: `${redisPrefix}:${i + 1}`,
  }));
  step(
    `Reading ${options.count} OS (${osNumbers[0]}…${osNumbers.at(-1)}) in ${plans.length} batch${plans.length === 1 ? '' : 'es'} of up to ${BATCH_SIZE}, ${PARALLEL} at a time`,
  );
  say();
  let batchRun;
  try {
    batchRun = await runBatches(userApi, plans, {
      parallel: PARALLEL,
      progressStream: process.stdout,
      signal,
    });
  } catch (error) {
    throw error instanceof BatchRunError ? error.cause : error;
  }
  say();
  say(batchTable(batchRun));
  say();

  step('Checking every result against the simulator’s truth');
  const truth = await checkAgainstTruth(userApi, simulator.url, batchRun.outcomes);
  say();
  say(
    summaryText({
      count: options.count,
      batchSize: BATCH_SIZE,
      layout: options.layout,
      parallel: PARALLEL,
      totals: totalsOf(batchRun),
      targetLogins: simulator.stats().logins.successful,
      truth,
    }),
  );
  say();
  say(await dashboardText(adminApi));
  say();
  say(
    options.keep
      ? 'Explore:'
      : 'Explore (everything stops when the demo ends: run it with --keep to stay up):',
  );
  const where = async (path: string) =>
    `${service.url}${path}${(await isServed(`${service.url}${path}`)) ? '' : '  (not served by this build yet)'}`;
  say(`  Swagger UI    ${await where('/api/docs')}`);
  say(`  admin page    ${await where('/admin')}`);
  say(`  queue board   ${await where('/admin/queues')}`);
  say(`  admin login   ${admin.username} / ${admin.password}`);
  say(`  user login    ${user.username} / ${user.password}`);
  say(`  CLI           REGISTRO_OS_URL=${service.url} npx registro-os login -u ${user.username}`);

  const failed = truth.mismatches.length > 0 || truth.lost.length > 0;
  if (options.keep && !interrupted) {
    say();
    say('Staying up: press Ctrl+C to stop everything.');
    await new Promise<void>((resolve) => (releaseKeep = resolve));
    if (interruption.signal.aborted && !interrupted) throw interruption.signal.reason;
  }
  say();
  say(
    failed
      ? `FAILED: ${truth.mismatches.length} mismatches, ${truth.lost.length} OS lost.`
      : `OK: ${options.count} OS read, 0 mismatches, 0 lost.`,
  );
  return failed ? 1 : 0;
}

/** Whether a page exists (a 401 or a redirect to a login counts: it is there). */
async function isServed(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { redirect: 'manual' })).status !== 404;
  } catch {
    return false;
  }
}

/** Rejects when the run is interrupted (Ctrl+C) or the service dies. */
function aborted(): Promise<never> {
  return new Promise((_, reject) => {
    const signal = interruption.signal;
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/** One paragraph for any failure, without a stack trace. */
function describeFailure(error: unknown): string {
  if (interruption.signal.aborted && interruption.signal.reason instanceof DemoError) {
    // The service died or Ctrl+C: that is the story, not the request that failed because of it.
    return interruption.signal.reason.message;
  }
  if (error instanceof DemoError) return error.message;
  if (error instanceof ApiError) {
    return `the service answered ${error.status} to ${error.url}: ${error.body?.message ?? error.message}`;
  }
  if (error instanceof NetworkError) return error.message;
  return reasonOf(error);
}

async function main(): Promise<void> {
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let code: number;
  try {
    const options = parseDemoOptions(process.argv.slice(2));
    if (options.help) {
      say(DEMO_HELP);
      code = 0;
    } else {
      code = await run(options);
    }
  } catch (error) {
    const message = describeFailure(error);
    code = interrupted ? 130 : 1;
    const prefix = error instanceof MissingPrerequisitesError ? '' : 'Demo failed: ';
    if (!interrupted) process.stderr.write(`\n${prefix}${message}\n`);
  }
  stopping = true;
  if (cleanups.length > 0) {
    say('▸ Stopping the service and the simulator');
    await cleanup();
  }
  process.exit(code);
}

void main();
