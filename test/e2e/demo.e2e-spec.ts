import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import pg from 'pg';
import { createClient } from 'redis';
import { describe, expect, it } from 'vitest';
import { adminQuery, SERVER_URL } from '../support/test-database.js';
import { REDIS_URL } from '../support/test-redis.js';

const ROOT = resolve(import.meta.dirname, '../..');

interface DemoRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run demo -- <args>` as a user runs it, with the environment overridden by `env`. */
function runDemo(args: string[], env: Record<string, string>): Promise<DemoRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('npx', ['tsx', 'demo/run-demo.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, REDIS_URL, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function redisKeys(prefix: string): Promise<string[]> {
  const client = createClient({ url: REDIS_URL });
  await client.connect();
  try {
    const keys: string[] = [];
    for await (const batch of client.scanIterator({ MATCH: `${prefix}:*`, COUNT: 500 })) {
      keys.push(...batch);
    }
    return keys;
  } finally {
    await client.close();
  }
}

describe('npm run demo', () => {
  it('reads 100 OS end to end, checks each against the truth, exits 0 and leaves nothing behind', async () => {
    const database = `ros_test_demo_${randomBytes(4).toString('hex')}`;
    try {
      const run = await runDemo(['--count', '100'], { DATABASE_URL: `${SERVER_URL}/${database}` });
      expect(run.stderr).not.toMatch(/^\s+at /m);
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);

      const figure = (label: string) =>
        Number(new RegExp(`^\\s+${label}\\s+(\\d+)$`, 'm').exec(run.stdout)?.[1]);
      expect(run.stdout).toContain('Summary: 100 OS in 1 batch of up to 100');
      expect(figure('success') + figure('not found') + figure('failed')).toBe(100);
      expect(figure('checked vs truth')).toBe(100 - figure('failed'));
      expect(figure('mismatches')).toBe(0);
      expect(figure('lost')).toBe(0);
      expect(figure('logins to the ERP')).toBeGreaterThan(0);
      expect(run.stdout).toMatch(/^\s+paths taken\s+http \d+ · browser \d+ · robust \d+$/m);
      expect(run.stdout).toMatch(/^\s+OS per minute\s+\d+$/m);
      expect(run.stdout).toMatch(/^\s+Swagger UI\s+http:\/\/127\.0\.0\.1:\d+\/api\/docs$/m);
      expect(run.stdout).toMatch(/^\s+queue board\s+http:\/\/127\.0\.0\.1:\d+\/admin\/queues\b/m);
      expect(run.stdout).toMatch(/^\s+admin login\s+admin \/ \S+$/m);
      expect(run.stdout).toMatch(/^Dashboard/m);
      expect(run.stdout).toContain('OK: 100 OS read, 0 mismatches, 0 lost.');

      // The service child is gone and the run's Redis keys with it; the database was migrated.
      const pid = Number(/pid (\d+)/.exec(run.stdout)?.[1]);
      const prefix = /Redis prefix (\S+)\)/.exec(run.stdout)?.[1];
      expect(pid).toBeGreaterThan(0);
      expect(isRunning(pid)).toBe(false);
      expect(prefix).toMatch(/^ros-demo-[0-9a-f]+$/);
      expect(await redisKeys(prefix!)).toEqual([]);
      const db = new pg.Client({ connectionString: `${SERVER_URL}/${database}` });
      await db.connect();
      try {
        const batches = await db.query<{ total: number; processed: number }>(
          'SELECT total, processed FROM scraping_batch_stats',
        );
        expect(batches.rows).toEqual([{ total: 100, processed: 100 }]);
      } finally {
        await db.end();
      }
    } finally {
      await adminQuery(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`);
    }
  }, 300_000);

  it('with PostgreSQL at a closed port, exits non-zero naming the URL and the fix, without a stack trace', async () => {
    const url = 'postgres://postgres@127.0.0.1:1/x';
    const run = await runDemo(['--count', '10'], { DATABASE_URL: url });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(`PostgreSQL is not reachable at ${url}`);
    expect(run.stderr).toContain(
      'docker compose -f docker/docker-compose.yml up -d postgres redis',
    );
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/^\s+at /m);
    // Nothing was started, so nothing is left to stop.
    expect(run.stdout).not.toContain('Starting the service');
  });
});
