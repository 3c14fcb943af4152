import { describe, expect, it } from 'vitest';
import {
  compileDateFormat,
  dateFormatProblem,
  parseFormattedDate,
  parseSeparatedNumber,
} from './formatted-values.js';

describe('parseFormattedDate', () => {
  it.each([
    ['dd/MM/yyyy', '07/03/2024', '2024-03-07'],
    ['dd/MM/yyyy HH:mm', '07/03/2024 09:05', '2024-03-07T09:05'],
    ['dd/MM/yyyy HH:mm', '07/03/2024   09:05', '2024-03-07T09:05'],
    ['yyyy-MM-dd', '2024-03-07', '2024-03-07'],
    ['MM/dd/yyyy', '03/07/2024', '2024-03-07'],
    ['d/M/yyyy', '7/3/2024', '2024-03-07'],
    ['yyyy-MM-dd HH:mm:ss', '2024-03-07 23:59:59', '2024-03-07T23:59:59'],
    ['dd.MM.yyyy', '29.02.2024', '2024-02-29'],
  ])('%s reads %j as %j', (format, text, value) => {
    expect(parseFormattedDate(text, compileDateFormat(format))).toBe(value);
  });

  it.each([
    ['dd/MM/yyyy', '31/02/2024'],
    ['dd/MM/yyyy', '2024-03-07'],
    ['MM/dd/yyyy', '13/07/2024'],
    ['dd/MM/yyyy HH:mm', '07/03/2024 24:00'],
    ['dd/MM/yyyy HH:mm', '07/03/2024'],
    ['dd.MM.yyyy', '07x03x2024'],
  ])('%s rejects %j', (format, text) => {
    expect(parseFormattedDate(text, compileDateFormat(format))).toBeUndefined();
  });

  it.each([
    ['dd/MM', 'must contain yyyy, MM (or M) and dd (or d)'],
    [
      'dd/MM/yyyy hh:mm',
      'may only use the tokens yyyy, MM, M, dd, d, HH, H, mm, ss and separators',
    ],
    ['dd/dd/MM/yyyy', 'uses the same part twice'],
    ['', 'must be a date format such as "dd/MM/yyyy"'],
  ])('format %j: %s', (format, problem) => {
    expect(dateFormatProblem(format)).toBe(problem);
  });
});

describe('parseSeparatedNumber', () => {
  it.each([
    ['1,234.56', '.', ',', 1234.56],
    ['1.234,56', ',', '.', 1234.56],
    ['1 234,5', ',', ' ', 1234.5],
    ['1\u00a0234,5', ',', ' ', 1234.5],
    ["1'234.5", '.', "'", 1234.5],
    ['-12.5', '.', ',', -12.5],
    ['12', '.', ',', 12],
    ['1234.5', '.', '', 1234.5],
    ['0.125', '.', ',', 0.125],
  ])('%j with decimal %j and thousands %j → %d', (text, decimal, thousands, value) => {
    expect(parseSeparatedNumber(text, { decimal, thousands })).toBe(value);
  });

  it.each([
    ['1,23.4', '.', ','],
    ['1.234,56', '.', ','],
    ['12,5', '.', ','],
    ['1.2.3', '.', ''],
    ['abc', '.', ','],
    ['', '.', ','],
  ])('%j is not a number with decimal %j and thousands %j', (text, decimal, thousands) => {
    expect(parseSeparatedNumber(text, { decimal, thousands })).toBeUndefined();
  });
});
