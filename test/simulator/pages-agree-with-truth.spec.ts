import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startSimulator,
  type PageEncoding,
  type RunningSimulator,
} from '../../demo/erp-simulator/index.js';
import { parseLayoutA, parseLayoutB } from './hand-parsers.js';
import { SimulatorClient, fetchTruth, type Layout } from './simulator-client.js';

/** 300 numbers spread over the whole range, plus edges and a known missing one. */
function sampleNumbers(count: number): string[] {
  const numbers = new Set(['1', '9999999', '1051', '0001038']);
  for (let i = 0; numbers.size < count; i++)
    numbers.add(String(1 + ((i * 3_331_333 + 17) % 9_999_999)));
  return [...numbers];
}

async function inChunks<T>(
  items: T[],
  size: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  for (let i = 0; i < items.length; i += size)
    await Promise.all(items.slice(i, i + size).map(work));
}

describe.each([
  ['a', 'utf-8', 300],
  ['b', 'windows-1252', 300],
  ['a', 'windows-1252', 40],
  ['b', 'utf-8', 40],
] as [Layout, PageEncoding, number][])(
  'layout %s served as %s: pages agree with the truth',
  (layout, encoding, count) => {
    let sim: RunningSimulator;
    let client: SimulatorClient;

    beforeAll(async () => {
      sim = await startSimulator({ layout, encoding, truth: true });
      client = new SimulatorClient(sim.url, layout);
      expect((await client.login()).status).toBe(302);
    });
    afterAll(() => sim.close());

    it(`${count} numbers: detail page + items JSON, read by hand, equal /__truth`, async () => {
      const numbers = sampleNumbers(count);
      let found = 0;
      let missing = 0;
      await inChunks(numbers, 10, async (osNumber) => {
        const truth = await fetchTruth(sim.url, osNumber);
        const { page, detailId, notFound } = await client.openOrder(osNumber);
        expect(page.status).toBe(200);
        expect(page.charset).toBe(encoding);
        if (truth.status === 404) {
          expect(truth.body).toEqual({ not_found: true });
          expect(notFound, `OS ${osNumber} should show "not found"`).toBe(true);
          missing++;
          return;
        }
        expect(notFound).toBe(false);
        const items = await client.items(detailId!);
        expect(items.headers.get('content-type')).toBe('application/json; charset=utf-8');
        const parse = layout === 'a' ? parseLayoutA : parseLayoutB;
        const { record } = parse(page.text, JSON.parse(items.text));
        expect(record, `OS ${osNumber}`).toStrictEqual(truth.body);
        found++;
      });
      expect(found + missing).toBe(numbers.length);
      expect(missing).toBeGreaterThanOrEqual(1);
      expect(found).toBeGreaterThan(numbers.length * 0.9);
    });
  },
);
