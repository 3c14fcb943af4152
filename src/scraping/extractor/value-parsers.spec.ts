import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  foldForMatch,
  parseDateBr,
  parseDecimal,
  parseInteger,
  parseMoneyBrl,
} from './value-parsers.js';

function formatCents(cents: number): string {
  const reais = String(Math.floor(cents / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `R$ ${reais},${String(cents % 100).padStart(2, '0')}`;
}

describe('parseMoneyBrl', () => {
  it.each([
    ['R$ 1.234,56', 1234.56],
    ['R$\u00a01.234,56', 1234.56],
    ['R$0,99', 0.99],
    ['1.234.567,8', 1234567.8],
    ['-R$ 10,00', -10],
    ['12,345', 12.35],
    ['1234.5', 1234.5],
  ])('%j → %d', (text, value) => {
    expect(parseMoneyBrl(text)).toBe(value);
  });

  it.each(['', 'R$', 'abc', '1,2,3', 'R$ 1.23,00', '12.34.56'])('%j is not money', (text) => {
    expect(parseMoneyBrl(text)).toBeUndefined();
  });

  it('reads every formatted cent amount back exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_000 }), (cents) => {
        expect(parseMoneyBrl(formatCents(cents))).toBe(cents / 100);
      }),
    );
  });
});

describe('parseDecimal and parseInteger', () => {
  it.each([
    ['3,5', 3.5],
    ['1.234,5', 1234.5],
    ['0,0', 0],
    ['12.5', 12.5],
    ['1.234', 1234],
  ])('decimal %j → %d', (text, value) => {
    expect(parseDecimal(text)).toBe(value);
  });

  it.each([
    ['12', 12],
    ['1.234', 1234],
    [' 7 ', 7],
    ['-3', -3],
  ])('integer %j → %d', (text, value) => {
    expect(parseInteger(text)).toBe(value);
  });

  it.each(['1,5', '1.23', 'x', '', '99999999999999999999'])('%j is not an integer', (text) => {
    expect(parseInteger(text)).toBeUndefined();
  });
});

describe('parseDateBr', () => {
  it.each([
    ['07/03/2024', '2024-03-07'],
    ['7/3/2024', '2024-03-07'],
    ['29/02/2024', '2024-02-29'],
  ])('%j → %j', (text, iso) => {
    expect(parseDateBr(text)).toBe(iso);
  });

  it.each(['31/02/2024', '29/02/2023', '2024-03-07', '07/13/2024', '07/03/24', ''])(
    '%j is not a date',
    (text) => {
      expect(parseDateBr(text)).toBeUndefined();
    },
  );
});

describe('foldForMatch', () => {
  it('ignores case and accents', () => {
    expect(foldForMatch('Aguardando peça')).toBe(foldForMatch('AGUARDANDO PECA'));
    expect(foldForMatch('Concluída')).toBe('CONCLUIDA');
  });
});
