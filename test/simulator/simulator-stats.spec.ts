import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startSimulator,
  type RunningSimulator,
  type SimulatorStats,
} from '../../demo/erp-simulator/index.js';
import { SimulatorClient } from './simulator-client.js';

describe('simulator stats', () => {
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startSimulator({ layout: 'a', analyticsDelayMs: 0 });
  });
  afterAll(() => sim.close());

  it('counts requests by route, logins, sessions and "not found" pages', async () => {
    sim.resetStats();
    const client = new SimulatorClient(sim.url, 'a');
    await client.login();
    await client.login('demo', 'wrong');
    const { detailId } = await client.openOrder('1002');
    await client.items(detailId!);
    await client.openOrder('1051');
    await client.request('/nao-existe');
    const stats = sim.stats();
    expect(stats.requestsByRoute).toEqual({
      'GET /login': 2,
      'POST /login': 2,
      'GET /os/detalhe': 2,
      'GET /os/itens.json': 1,
      unmatched: 1,
    });
    expect(stats).toMatchObject({
      requestsTotal: 8,
      logins: { successful: 1, failed: 1 },
      activeSessions: 1,
      notFoundServed: 1,
      inFlight: 0,
      assetDownloads: { image: 0, font: 0, stylesheet: 0, 'script-analytics': 0 },
    });
  });

  it('counts asset downloads by type apart from app requests', async () => {
    sim.resetStats();
    const paths = [
      '/static/img/banner-matriz.png',
      '/static/img/logo-erp.png',
      '/static/fonts/erp-sans.woff2',
      '/static/css/erp-legado.css',
      '/third-party/analytics.js',
      '/cdn-terceiros/metricas.js',
    ];
    let bytes = 0;
    for (const path of paths) {
      const response = await fetch(`${sim.url}${path}`);
      expect(response.status, path).toBe(200);
      bytes += (await response.arrayBuffer()).byteLength;
    }
    const stats = sim.stats();
    expect(stats.assetDownloads).toEqual({
      image: 2,
      font: 1,
      stylesheet: 1,
      'script-analytics': 2,
    });
    expect(stats.assetBytes).toBe(bytes);
    expect(bytes).toBeGreaterThan(500_000); // the heavy image
    expect(stats.requestsTotal).toBe(0);
  });

  it('tracks requests in flight and their peak', async () => {
    sim.resetStats();
    sim.update({ latencyMs: 150 });
    try {
      const pending = Array.from({ length: 8 }, () =>
        fetch(`${sim.url}/login`).then((r) => r.arrayBuffer()),
      );
      await expect.poll(() => sim.stats().inFlight).toBeGreaterThanOrEqual(4);
      await Promise.all(pending);
    } finally {
      sim.update({ latencyMs: 0 });
    }
    expect(sim.stats()).toMatchObject({ inFlight: 0 });
    expect(sim.stats().peakInFlight).toBeGreaterThanOrEqual(4);
  });

  it('serves the same counters as JSON at /__stats, without counting itself', async () => {
    sim.resetStats();
    await (await fetch(`${sim.url}/login`)).arrayBuffer();
    const served = (await (await fetch(`${sim.url}/__stats`)).json()) as SimulatorStats;
    const { since: _since, ...rest } = sim.stats();
    expect(served).toMatchObject(rest);
    expect(served.requestsByRoute).toEqual({ 'GET /login': 1 });
  });
});
