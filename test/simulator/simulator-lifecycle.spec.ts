import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../demo/erp-simulator/index.js';
import { SimulatorClient } from './simulator-client.js';

const opened: RunningSimulator[] = [];

afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

async function start(
  options: Parameters<typeof startSimulator>[0] = {},
): Promise<RunningSimulator> {
  const sim = await startSimulator(options);
  opened.push(sim);
  return sim;
}

/** Resolves to 'done' or 'timeout', whichever comes first; a loose bound, not a measurement. */
function within<T>(promise: Promise<T>, ms: number): Promise<'done' | 'timeout'> {
  return Promise.race([
    promise.then(() => 'done' as const),
    new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), ms).unref()),
  ]);
}

describe('simulator lifecycle', () => {
  it('listens on a free port by default, with the URL to reach it', async () => {
    const [one, two] = await Promise.all([start(), start()]);
    expect(one.port).toBeGreaterThan(0);
    expect(one.port).not.toBe(two.port);
    expect(one.url).toBe(`http://127.0.0.1:${one.port}`);
    expect((await fetch(`${one.url}/__stats`)).status).toBe(200);
  });

  it('pause refuses connections, resume accepts them again on the same port, sessions survive', async () => {
    const sim = await start({ layout: 'a' });
    const client = new SimulatorClient(sim.url, 'a');
    await client.login();
    await sim.pause();
    await expect(fetch(`${sim.url}/login`)).rejects.toThrow();
    await sim.resume();
    const page = await client.request('/home');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Bem-vindo');
  });

  it('pause drops hanging requests too', async () => {
    const sim = await start({ hangRate: 1 });
    const pending = fetch(`${sim.url}/login`);
    await expect.poll(() => sim.stats().inFlight).toBe(1);
    expect(await within(sim.pause(), 5000)).toBe('done');
    await expect(pending).rejects.toThrow();
    await sim.resume();
  });

  it('close() returns promptly with hanging and slow requests open', async () => {
    const sim = await startSimulator({ hangRate: 1, analyticsDelayMs: 60_000 });
    const pending = [
      ...Array.from({ length: 5 }, () =>
        fetch(`${sim.url}/login`).catch((error: unknown) => error),
      ),
      fetch(`${sim.url}/third-party/analytics.js`).catch((error: unknown) => error),
    ];
    await expect.poll(() => sim.stats().inFlight).toBe(5);
    await expect.poll(() => sim.stats().assetsInFlight).toBe(1);
    expect(await within(sim.close(), 5000)).toBe('done');
    for (const outcome of await Promise.all(pending)) expect(outcome).toBeInstanceOf(Error);
    await expect(fetch(`${sim.url}/login`)).rejects.toThrow();
  });

  it('update() changes knobs while running, but not the address', async () => {
    const sim = await start({ latencyMs: 0 });
    sim.update({ latencyMs: 30 });
    const response = await fetch(`${sim.url}/login`);
    await response.arrayBuffer();
    expect(response.headers.get('x-sim-delay-ms')).toBe('30');
    expect(sim.options().latencyMs).toBe(30);
    expect(() => sim.update({ port: sim.port + 1 })).toThrow(/port cannot change/);
    expect(() => sim.update({ errorRate: 2 })).toThrow(/errorRate/);
  });

  it('the options endpoint updates knobs from another process', async () => {
    const sim = await start();
    const response = await fetch(`${sim.url}/__options`, {
      method: 'POST',
      body: JSON.stringify({ latencyMs: 12 }),
    });
    expect(response.status).toBe(200);
    expect(sim.options().latencyMs).toBe(12);
    const bad = await fetch(`${sim.url}/__options`, {
      method: 'POST',
      body: JSON.stringify({ hangRate: -1 }),
    });
    expect(bad.status).toBe(400);
  });

  it('refuses unusable options at start', async () => {
    await expect(startSimulator({ errorRate: 1.5 })).rejects.toThrow(
      /errorRate: must be a number between 0 and 1/,
    );
    await expect(startSimulator({ layout: 'z' as 'a' })).rejects.toThrow(/layout/);
  });

  it('resetStats() zeroes counters', async () => {
    const sim = await start();
    await (await fetch(`${sim.url}/login`)).arrayBuffer();
    expect(sim.stats().requestsTotal).toBe(1);
    sim.resetStats();
    expect(sim.stats()).toMatchObject({ requestsTotal: 0, requestsByRoute: {}, peakInFlight: 0 });
    const reset = await fetch(`${sim.url}/__stats/reset`, { method: 'POST' });
    expect(((await reset.json()) as { requestsTotal: number }).requestsTotal).toBe(0);
  });
});
