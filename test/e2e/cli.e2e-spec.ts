import { spawn } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../demo/lib/free-port.js';
import {
  startTestSimulator,
  targetEnv,
  truthOf,
  type RunningSimulator,
} from '../support/simulator.js';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app.js';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/registro-os.js');

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('registro-os, the command-line client, against a running service', () => {
  let sim: RunningSimulator;
  let t: TestApp;
  let user: TestUser;
  let home: string;
  /** A finished batch of the `batch` test, for `status` and `results`. */
  let batchTaskId: string;
  let batchNumbers: string[];

  /**
   * Runs the built CLI as a user would, with its own HOME (for the stored token) and nothing of
   * the test's environment. Asynchronous: the service answers from this same process.
   */
  const cli = (
    args: string[],
    options: { env?: Record<string, string>; input?: string } = {},
  ): Promise<CliRun> =>
    new Promise((resolvePromise, reject) => {
      const child = spawn(process.execPath, [BIN, ...args], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: home, ...options.env },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
      child.stdin.end(options.input ?? '');
    });
  const asUser = () => ['--server', t.url];

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist/cli/main.js'))) {
      throw new Error('dist/cli/main.js is missing: run npm run build (npm test does it first)');
    }
    home = await mkdtemp(join(tmpdir(), 'registro-os-cli-'));
    sim = await startTestSimulator({ layout: 'a' });
    t = await startTestApp({
      listen: true,
      env: {
        ...targetEnv(sim),
        TARGET_MAX_RPS: '0',
        RATE_LIMIT_BATCHES_PER_HOUR: '1000',
        // One OS an hour and a backlog of one: the third scrape in a row is refused (429).
        RATE_LIMIT_OS_PER_HOUR: '1',
        SCRAPE_BACKLOG_CAP: '1',
      },
    });
    user = await t.createUser();
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('login stores the token for its server (owner-only file); --print prints one; a wrong password is refused', async () => {
    const stored = await cli(['login', ...asUser(), '-u', user.username, '--password-stdin'], {
      input: `${user.password}\n`,
    });
    expect(stored.stderr).toBe('');
    expect(stored.code).toBe(0);
    expect(stored.stdout).toContain(`Logged in to ${t.url} as ${user.username}`);
    const file = join(home, '.config/registro-os/token.json');
    const token = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
    expect(token).toMatchObject({ server: t.url, username: user.username });
    expect(token.access_token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    const printed = await cli(['login', ...asUser(), '-u', user.username, '--print'], {
      env: { REGISTRO_OS_PASSWORD: user.password },
    });
    expect(printed.code).toBe(0);
    expect(printed.stdout.trim()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);

    const wrong = await cli(['login', ...asUser(), '-u', user.username, '--print'], {
      env: { REGISTRO_OS_PASSWORD: 'not-the-password' },
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^registro-os login: login failed: /);
  });

  it('scrape queues one OS, waits, and prints the outcome and, with --data, the data read', async () => {
    const osNumber = '20001';
    const truth = await truthOf(sim, osNumber);
    expect(truth).not.toBeNull();
    // The server comes from the stored login.
    const run = await cli(['scrape', osNumber, '--data']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const [line, ...rest] = run.stdout.split('\n');
    expect(line).toMatch(/^OS 20001: success via (http|browser|robust) in .+ \(\d+ attempts?\)$/);
    expect(JSON.parse(rest.join('\n'))).toStrictEqual(truth);
  });

  it('batch reads a file in batches of --size, one Idempotency-Key each, with progress and a summary; the same key resumes', async () => {
    batchNumbers = Array.from({ length: 25 }, (_, i) => String(21_000 + i * 7));
    const file = join(home, 'os-list.txt');
    // One a line, comma and space separated, a comment and a repeat: 25 distinct OS.
    await writeFile(
      file,
      `# OS to read\n${batchNumbers.slice(0, 10).join('\n')}\n${batchNumbers.slice(10, 20).join(', ')}\n` +
        `${batchNumbers.slice(20).join(' ')} ${batchNumbers[0]}\n`,
    );
    const run = await cli(['batch', file, '--size', '10', '--name', 'cli']);
    expect(run.code).toBe(0);
    const key = /\(idempotency key ([\w-]+)\)/.exec(run.stderr)?.[1];
    expect(run.stderr).toContain('25 OS in 3 batches of up to 10');
    expect(run.stderr).toMatch(/cli_1_de_3: submitted \(10 OS, task [\w-]+\)/);
    expect(run.stderr).toMatch(/progress: 25\/25 OS \(100%\)/);
    expect(run.stderr).toMatch(/cli_3_de_3: completed, 5\/5 OS/);
    for (const name of ['cli_1_de_3', 'cli_2_de_3', 'cli_3_de_3']) {
      expect(run.stdout).toMatch(new RegExp(`^${name}\\s+[\\w-]+\\s+completed`, 'm'));
    }
    expect(run.stdout).toMatch(/^\s+OS\s+25$/m);
    expect(run.stdout).toMatch(/^\s+paths\s+http \d+ · browser \d+ · robust \d+$/m);

    const batches = await t.db.query<{ id: string; name: string; idempotency_key: string }>(
      'SELECT id, name, idempotency_key FROM scraping_batch_stats ORDER BY name',
    );
    expect(batches.map((b) => [b.name, b.idempotency_key])).toEqual([
      ['cli_1_de_3', `${key}:1`],
      ['cli_2_de_3', `${key}:2`],
      ['cli_3_de_3', `${key}:3`],
    ]);
    batchTaskId = batches[0]!.id;

    // Running it again with the key answers the batches already accepted: nothing new.
    const again = await cli([
      'batch',
      file,
      '--size',
      '10',
      '--name',
      'cli',
      '--idempotency-key',
      key!,
    ]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(batchTaskId);
    const [{ n }] = await t.db.query<{ n: string }>(
      'SELECT count(*) AS n FROM scraping_batch_stats',
    );
    expect(Number(n)).toBe(3);

    // From stdin, without waiting: the task id is printed.
    const piped = await cli(['batch', '-', '--no-wait', '--name', 'piped'], {
      input: '30001,30002 30003\n',
    });
    expect(piped.code).toBe(0);
    expect(piped.stdout).toMatch(/^[\w-]{36} {2}piped_1_de_1 {2}3 OS {2}\w+$/m);
  });

  it('status prints a batch, and an unknown task is a clear 404', async () => {
    const run = await cli(['status', batchTaskId]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^status\s+completed \(state completed\)$/m);
    expect(run.stdout).toMatch(/^name\s+cli_1_de_3$/m);
    expect(run.stdout).toMatch(/^paths\s+http \d+/m);

    const json = await cli(['status', batchTaskId, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ task_id: batchTaskId, total: 10 });

    const unknown = await cli(['status', randomUUID()]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^registro-os status: not found \(404\): /);
  });

  it('results writes a batch as CSV and as JSON files', async () => {
    const csvFile = join(home, 'lote.csv');
    const csv = await cli(['results', batchTaskId, '--format', 'csv', '-o', csvFile]);
    expect(csv.code).toBe(0);
    expect(csv.stderr).toContain(`to ${csvFile}`);
    const text = await readFile(csvFile, 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const records = csvRecords(text.slice(1));
    expect(records[0]!.slice(0, 6)).toEqual([
      'os_number',
      'outcome',
      'path',
      'attempts',
      'duration_ms',
      'error',
    ]);
    expect(records.slice(1).map((record) => record[0])).toEqual(batchNumbers.slice(0, 10));
    const outcome = records[0]!.indexOf('outcome');
    const client = records[0]!.indexOf('cliente_nome');
    for (const record of records.slice(1)) {
      const truth = await truthOf(sim, record[0]!);
      expect(record[outcome]).toBe(truth ? 'success' : 'not_found');
      if (truth) expect(record[client]).toBe(truth.cliente_nome);
    }

    const jsonFile = join(home, 'lote.json');
    const json = await cli(['results', batchTaskId, '-o', jsonFile]);
    expect(json.code).toBe(0);
    const results = JSON.parse(await readFile(jsonFile, 'utf8')) as {
      task_id: string;
      items: Array<{ os_number: string; outcome: string; data: unknown }>;
    };
    expect(results.task_id).toBe(batchTaskId);
    expect(results.items.map((item) => item.os_number)).toEqual(batchNumbers.slice(0, 10));
    for (const item of results.items) {
      const truth = await truthOf(sim, item.os_number);
      expect(item.outcome).toBe(truth ? 'success' : 'not_found');
      if (truth) expect(item.data).toStrictEqual(truth);
    }
  });

  it("stats prints the user's statistics (or says the server has none yet)", async () => {
    const probe = await fetch(`${t.url}/api/desenvolvimento/scraping-statistics`, {
      headers: { Authorization: `Bearer ${user.token}` },
    });
    const run = await cli(['stats']);
    if (probe.status === 404) {
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('has no statistics endpoint yet');
      return;
    }
    expect(probe.status).toBe(200);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const body = (await probe.json()) as { totals?: Record<string, unknown> };
    if (body.totals) {
      expect(run.stdout).toMatch(/^totals$/m);
      for (const key of Object.keys(body.totals)) expect(run.stdout).toContain(key);
    }
    const json = await cli(['stats', '--json']);
    expect(Object.keys(JSON.parse(json.stdout) as object)).toEqual(Object.keys(body));
  });

  it('429: past the backlog cap a scrape is refused with the wait time, and exits 1', async () => {
    // The hour's one OS went to the scrape test: this one waits in the queue (throttled)...
    const queued = await cli(['scrape', '20002', '--no-wait']);
    expect(queued.code).toBe(0);
    expect(queued.stdout).toMatch(/^OS 20002 queued as task [\w-]+ \(\w+\)$/m);
    // ...and fills the backlog of one: the next is refused.
    const refused = await cli(['scrape', '20003']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^registro-os scrape: too many requests \(429\): .+ \(wait 1h 00m: Retry-After 3600 s\)\n$/,
    );
  });

  it('an invalid or forged token is a clear 401 and exit 1', async () => {
    const garbage = await cli(['status', batchTaskId, '--token', 'not-a-token']);
    expect(garbage.code).toBe(1);
    expect(garbage.stderr).toBe(
      'registro-os status: not logged in or token expired: run registro-os login\n',
    );

    // Well-formed and unexpired, but signed with another secret.
    const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
    const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({
      sub: user.id,
      username: user.username,
      role: 'admin',
      exp: Math.floor(Date.now() / 1000) + 600,
    })}`;
    const forged = `${unsigned}.${createHmac('sha256', 'another-secret-another-secret-0123').update(unsigned).digest('base64url')}`;
    const run = await cli(['stats'], { env: { REGISTRO_OS_TOKEN: forged } });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'registro-os stats: not logged in or token expired: run registro-os login\n',
    );
  });

  it('a wrong command line exits 2; an unreachable server is named', async () => {
    const none = await cli(['scrape']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Run registro-os scrape --help');
    const unknown = await cli(['frobnicate']);
    expect(unknown.code).toBe(2);
    const help = await cli(['results', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--format csv|json');

    const closed = `http://127.0.0.1:${await freePort()}`;
    const down = await cli(['status', batchTaskId, '--server', closed, '--token', 'x']);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain(`cannot reach the server at ${closed}/api/`);
    expect(down.stderr).not.toMatch(/^\s+at /m);
  });
});

/** RFC 4180 records (`;` separated, quoted fields may hold separators, quotes and line breaks). */
function csvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    record.push(field.replace(/\r$/, ''));
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted && char === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (char === '"') {
      quoted = !quoted;
    } else if (!quoted && char === ';') {
      endField();
    } else if (!quoted && char === '\n') {
      endField();
      records.push(record);
      record = [];
    } else {
      field += char;
    }
  }
  if (field || record.length > 0) {
    endField();
    records.push(record);
  }
  return records;
}
