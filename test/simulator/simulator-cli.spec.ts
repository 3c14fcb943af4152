import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { parseCliOptions } from '../../demo/erp-simulator/cli-options.js';

const CLI = new URL('../../demo/erp-simulator/cli.ts', import.meta.url).pathname;

function run(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function output(
  child: ChildProcess,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

describe('simulator command line', () => {
  it('maps every flag to an option', () => {
    const command = parseCliOptions([
      '--port',
      '4555',
      '--host',
      '0.0.0.0',
      '--layout',
      'b',
      '--truth',
      '--user',
      'u',
      '--password',
      'p',
      '--latency-ms',
      '10',
      '--jitter-ms',
      '5',
      '--error-rate',
      '0.1',
      '--hang-rate',
      '0.01',
      '--expire-rate',
      '0.02',
      '--max-sessions',
      '3',
      '--session-idle-ms',
      '1000',
      '--session-max-age-ms',
      '2000',
      '--not-found-rate',
      '0.05',
      '--encoding',
      'windows-1252',
      '--overload',
      '--overload-step-ms',
      '7',
      '--overload-free-slots',
      '2',
      '--analytics-delay-ms',
      '9',
      '--seed',
      '42',
    ]);
    expect(command).toEqual({
      help: false,
      options: {
        port: 4555,
        host: '0.0.0.0',
        layout: 'b',
        truth: true,
        user: 'u',
        password: 'p',
        latencyMs: 10,
        jitterMs: 5,
        errorRate: 0.1,
        hangRate: 0.01,
        expireRate: 0.02,
        maxSessions: 3,
        sessionIdleMs: 1000,
        sessionMaxAgeMs: 2000,
        notFoundRate: 0.05,
        encoding: 'windows-1252',
        overload: true,
        overloadStepMs: 7,
        overloadFreeSlots: 2,
        analyticsDelayMs: 9,
        seed: 42,
      },
    });
    expect(parseCliOptions([])).toEqual({ help: false, options: { port: 4010 } });
    expect(() => parseCliOptions(['--latency-ms', 'fast'])).toThrow(/--latency-ms: not a number/);
    expect(() => parseCliOptions(['--latncy-ms', '5'])).toThrow();
  });

  it('runs standalone with its knobs and stops on SIGTERM', async () => {
    const child = run([
      '--port',
      '0',
      '--layout',
      'b',
      '--truth',
      '--latency-ms',
      '5',
      '--seed',
      '9',
    ]);
    const done = output(child);
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        const match = /listening on (http:\/\/\S+)/.exec(chunk.toString());
        if (match) resolve(match[1]);
      });
      child.once('exit', () => reject(new Error('the simulator exited early')));
    });
    try {
      const options = (await (await fetch(`${url}/__options`)).json()) as Record<string, unknown>;
      expect(options).toMatchObject({ layout: 'b', truth: true, latencyMs: 5, seed: 9 });
      expect((await fetch(`${url}/__truth/os/1002`)).status).toBe(200);
      const login = await fetch(`${url}/acesso/entrar`);
      expect(login.headers.get('x-sim-delay-ms')).toBe('5');
    } finally {
      child.kill('SIGTERM');
    }
    expect((await done).code).toBe(0);
  });

  it('exits 2 with the usage on a bad flag, 1 on a bad value', async () => {
    const bad = await output(run(['--nope']));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Usage: npm run simulator');
    const invalid = await output(run(['--port', '0', '--error-rate', '2']));
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('errorRate: must be a number between 0 and 1');
  });

  it('prints the usage with --help', async () => {
    const help = await output(run(['--help']));
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--expire-rate');
  });
});
