import { afterEach, describe, expect, it } from 'vitest';
import {
  startSimulator,
  type RunningSimulator,
  type SimulatorOptions,
} from '../../demo/erp-simulator/index.js';
import { SimulatorClient, type Layout } from './simulator-client.js';

let sim: RunningSimulator | undefined;

async function start(options: Partial<SimulatorOptions>): Promise<RunningSimulator> {
  sim = await startSimulator(options);
  return sim;
}

afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

describe('latency knobs', () => {
  it('every app request waits at least latencyMs, and at most latencyMs + jitterMs by the server’s count', async () => {
    const s = await start({ latencyMs: 60, jitterMs: 40 });
    for (let i = 0; i < 15; i++) {
      const { value: response, ms } = await timed(() => fetch(`${s.url}/login`));
      await response.arrayBuffer();
      const delay = Number(response.headers.get('x-sim-delay-ms'));
      expect(delay).toBeGreaterThanOrEqual(60);
      expect(delay).toBeLessThanOrEqual(100);
      expect(ms).toBeGreaterThanOrEqual(59); // timers may round down by a millisecond
    }
  });

  it('overload: the delay grows with requests in flight, and only then', async () => {
    const s = await start({
      latencyMs: 50,
      overload: true,
      overloadStepMs: 20,
      overloadFreeSlots: 2,
    });
    const sequential: number[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await fetch(`${s.url}/login`);
      await response.arrayBuffer();
      sequential.push(Number(response.headers.get('x-sim-delay-ms')));
    }
    expect(sequential).toEqual([50, 50, 50, 50, 50]);

    const parallel = await Promise.all(
      Array.from({ length: 12 }, async () => {
        const response = await fetch(`${s.url}/login`);
        await response.arrayBuffer();
        return Number(response.headers.get('x-sim-delay-ms'));
      }),
    );
    for (const delay of parallel) expect((delay - 50) % 20).toBe(0);
    expect(Math.max(...parallel)).toBeGreaterThan(50);
    expect(s.stats().peakInFlight).toBeGreaterThan(2);
  });

  it('the slow analytics script takes at least analyticsDelayMs', async () => {
    const s = await start({ analyticsDelayMs: 200 });
    const { value: response, ms } = await timed(() => fetch(`${s.url}/third-party/analytics.js`));
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    expect(ms).toBeGreaterThanOrEqual(199);
  });
});

describe('failure knobs', () => {
  it('errorRate: the share of 500s stays within tolerance over 1000 requests', async () => {
    const s = await start({ errorRate: 0.2, seed: 7 });
    let errors = 0;
    for (let i = 0; i < 1000; i += 20) {
      const statuses = await Promise.all(
        Array.from({ length: 20 }, async () => {
          const response = await fetch(`${s.url}/login`);
          const text = await response.text();
          if (response.status === 500) expect(text).toContain('Erro interno do servidor');
          return response.status;
        }),
      );
      errors += statuses.filter((status) => status === 500).length;
    }
    expect(errors / 1000).toBeGreaterThan(0.16);
    expect(errors / 1000).toBeLessThan(0.24);
    expect(s.stats().errorsServed.http500).toBe(errors);
  });

  it('hangRate: that share of requests never answers until the client gives up', async () => {
    const s = await start({ hangRate: 0.3, seed: 11 });
    const outcomes = await Promise.all(
      Array.from({ length: 200 }, async () => {
        try {
          const response = await fetch(`${s.url}/login`, { signal: AbortSignal.timeout(1500) });
          await response.arrayBuffer();
          return 'answered';
        } catch {
          return 'hung';
        }
      }),
    );
    const hung = outcomes.filter((o) => o === 'hung').length;
    expect(hung / 200).toBeGreaterThan(0.2);
    expect(hung / 200).toBeLessThan(0.4);
    expect(s.stats().errorsServed.hang).toBe(hung);
    await expect.poll(() => s.stats().inFlight, { timeout: 5000 }).toBe(0);
  });

  it.each(['a', 'b'] as Layout[])(
    'expireRate (layout %s): that share of authenticated requests gets the expired page (200) and loses its session',
    async (layout) => {
      const s = await start({ layout, expireRate: 0.25, seed: 3 });
      const client = new SimulatorClient(s.url, layout);
      await client.login();
      const home = layout === 'a' ? '/home' : '/painel';
      let expired = 0;
      for (let i = 0; i < 300; i++) {
        const page = await client.request(home);
        expect(page.status).toBe(200);
        if (page.text.includes('Sessão expirada')) {
          expired++;
          const stale = await client.request(home);
          expect(stale.text).toContain('Sessão expirada'); // the session is really over
          await client.login();
        }
      }
      expect(expired / 300).toBeGreaterThan(0.17);
      expect(expired / 300).toBeLessThan(0.33);
      expect(s.stats().errorsServed.expired).toBe(expired);
    },
  );

  it('never applies to /__truth and /__stats', async () => {
    const s = await start({ truth: true, errorRate: 1, latencyMs: 5000 });
    const truth = await fetch(`${s.url}/__truth/os/1002`);
    expect(truth.status).toBe(200);
    expect(truth.headers.get('x-sim-delay-ms')).toBeNull();
    await truth.arrayBuffer();
    s.update({ hangRate: 1, errorRate: 0 });
    const stats = await fetch(`${s.url}/__stats`);
    expect(stats.status).toBe(200);
    expect(((await stats.json()) as { errorsServed: unknown }).errorsServed).toEqual({
      http500: 0,
      hang: 0,
      expired: 0,
    });
  });
});
