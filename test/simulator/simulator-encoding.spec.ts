import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../demo/erp-simulator/index.js';
import { SimulatorClient, fetchTruth, type Layout } from './simulator-client.js';

describe.each(['a', 'b'] as Layout[])('windows-1252 pages, layout %s', (layout) => {
  let sim: RunningSimulator;
  let client: SimulatorClient;

  beforeAll(async () => {
    sim = await startSimulator({ layout, encoding: 'windows-1252', truth: true });
    client = new SimulatorClient(sim.url, layout);
    await client.login();
  });
  afterAll(() => sim.close());

  it('declares the charset in the header and in the page', async () => {
    const { page } = await client.openOrder('1065');
    expect(page.headers.get('content-type')).toBe('text/html; charset=windows-1252');
    const meta =
      layout === 'a'
        ? 'content="text/html; charset=windows-1252"'
        : '<meta charset="windows-1252">';
    expect(page.bytes.toString('latin1')).toContain(meta);
  });

  it('sends single-byte windows-1252 text that iconv-lite decodes to the truth', async () => {
    const { page } = await client.openOrder('1065');
    const truth = (await fetchTruth(sim.url, '1065')).body as Record<string, string>;
    expect(page.bytes.includes(Buffer.from('ç', 'utf8'))).toBe(false);
    expect(page.bytes.includes(Buffer.from([0xe7]))).toBe(true); // "ç" in windows-1252
    const decoded = iconv.decode(page.bytes, 'windows-1252');
    expect(decoded).toContain('Ordem de Serviço');
    expect(decoded).toContain(truth.tecnico);
    expect(decoded).not.toContain('\ufffd');
    expect(page.bytes.toString('utf8')).toContain('\ufffd'); // read as UTF-8 it breaks
  });

  it('keeps the JSON endpoint in UTF-8', async () => {
    const { detailId } = await client.openOrder('1065');
    const items = await client.items(detailId!);
    expect(items.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(items.bytes.toString('utf8')).toContain('ã');
  });
});

describe('default encoding', () => {
  it('is UTF-8', async () => {
    const sim = await startSimulator();
    try {
      const page = await new SimulatorClient(sim.url, 'a').request('/login');
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.text).toContain('Usuário');
    } finally {
      await sim.close();
    }
  });
});
