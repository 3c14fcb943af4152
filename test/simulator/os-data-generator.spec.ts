import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import {
  MAX_OS_NUMBER,
  OS_STATUSES,
  fromInternalId,
  generateServiceOrder,
  osExists,
  toInternalId,
  toTruthRecord,
} from '../../demo/erp-simulator/index.js';

const osNumber = fc.integer({ min: 1, max: MAX_OS_NUMBER });
const seed = fc.integer({ min: 0, max: 2 ** 31 - 1 });

function cnpjIsValid(cnpj: string): boolean {
  const digits = cnpj.replace(/\D/g, '').split('').map(Number);
  const check = (length: number): number => {
    const weights =
      length === 12
        ? [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]
        : [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
    const rest = weights.reduce((sum, w, i) => sum + w * digits[i], 0) % 11;
    return rest < 2 ? 0 : 11 - rest;
  };
  return digits.length === 14 && check(12) === digits[12] && check(13) === digits[13];
}

describe('OS data generator', () => {
  it('is deterministic per (seed, number) and differs across seeds', () => {
    expect(generateServiceOrder(1234, 1)).toEqual(generateServiceOrder(1234, 1));
    expect(generateServiceOrder(1234, 1)).not.toEqual(generateServiceOrder(1234, 2));
  });

  it('leaves about notFoundRate of the numbers missing', () => {
    let missing = 0;
    for (let n = 1; n <= 20_000; n++) if (!osExists(n, 1, 0.03)) missing++;
    expect(missing / 20_000).toBeGreaterThan(0.025);
    expect(missing / 20_000).toBeLessThan(0.035);
    expect(osExists(0, 1, 0)).toBe(false);
    expect(osExists(MAX_OS_NUMBER + 1, 1, 0)).toBe(false);
  });

  it('maps OS numbers to distinct internal ids and back', () => {
    fc.assert(
      fc.property(osNumber, seed, (n, s) => {
        const id = toInternalId(n, s);
        expect(id).not.toBe(n);
        expect(String(id)).toHaveLength(8);
        expect(fromInternalId(id, s)).toBe(n);
      }),
    );
    expect(fromInternalId(123, 1)).toBeNull();
    expect(fromInternalId(99_999_999, 1)).toBeNull();
  });

  it('generates coherent records whose truth is already normalised', () => {
    fc.assert(
      fc.property(osNumber, seed, (n, s) => {
        const order = generateServiceOrder(n, s);
        const truth = toTruthRecord(order);
        expect(cnpjIsValid(truth.cliente_cnpj)).toBe(true);
        expect(OS_STATUSES).toContain(truth.status);
        expect(truth.data_previsao >= truth.data_abertura).toBe(true);
        expect(truth.data_conclusao === null).toBe(
          !['Concluída', 'Cancelada'].includes(truth.status),
        );
        if (truth.data_conclusao) expect(truth.data_conclusao >= truth.data_abertura).toBe(true);
        expect(truth.itens.length).toBeGreaterThanOrEqual(1);
        const cents = order.itens.reduce(
          (sum, item) => sum + item.quantidade * item.valorUnitarioCents,
          0,
        );
        expect(Math.round(truth.valor_total * 100)).toBe(cents);
        for (const item of truth.itens) {
          expect(Number.isInteger(item.quantidade)).toBe(true);
          expect(Math.round(item.valor_unitario * 100) / 100).toBe(item.valor_unitario);
        }
        for (const value of Object.values(truth)) {
          if (typeof value !== 'string') continue;
          expect(value).toBe(value.trim());
          expect(value).not.toMatch(/ {2}|\n\n|\n | \n|\t/);
          expect(iconv.decode(iconv.encode(value, 'windows-1252'), 'windows-1252')).toBe(value);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('includes the characters careless scrapers break on', () => {
    const texts = Array.from({ length: 300 }, (_, i) =>
      JSON.stringify(toTruthRecord(generateServiceOrder(i + 1, 1))),
    );
    const all = texts.join('');
    for (const needle of ['<', '&', '\\"', "'", 'ç', 'ã', '—', '\\n'])
      expect(all).toContain(needle);
  });
});
