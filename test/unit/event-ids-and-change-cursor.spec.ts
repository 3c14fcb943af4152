import { describe, expect, it } from 'vitest';
import { compareEventIds } from '../../src/batch/batch-events.service.js';
import { decodeChangeCursor, encodeChangeCursor } from '../../src/scraping/change-cursor.js';

describe('batch event ids', () => {
  it('orders Redis stream ids by time, then sequence, as numbers rather than text', () => {
    expect(compareEventIds('1764600000000-0', '1764600000000-1')).toBeLessThan(0);
    expect(compareEventIds('1764600000000-10', '1764600000000-9')).toBeGreaterThan(0);
    expect(compareEventIds('999-5', '1000-0')).toBeLessThan(0);
    expect(compareEventIds('0-0', '1-0')).toBeLessThan(0);
    expect(compareEventIds('1764600000000-3', '1764600000000-3')).toBe(0);
  });
});

describe('change feed cursor', () => {
  it('round-trips the PostgreSQL timestamp text, microseconds and offset included', () => {
    const cursor = { changedAt: '2026-12-01 15:54:29.123456+00', osNumber: '6003' };
    const text = encodeChangeCursor(cursor);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeChangeCursor(text)).toEqual(cursor);
    const withOffset = { changedAt: '2026-12-01 12:54:29-03', osNumber: '1' };
    expect(decodeChangeCursor(encodeChangeCursor(withOffset))).toEqual(withOffset);
  });

  it.each([
    ['not base64 JSON', 'bm90LWEtY3Vyc29y'],
    ['JSON of another shape', Buffer.from('[1,2]').toString('base64url')],
    ['a timestamp that is not one', Buffer.from('{"t":"yesterday","n":"1"}').toString('base64url')],
    [
      'SQL in the timestamp',
      Buffer.from(`{"t":"2026-12-01 00:00:00+00' OR 1=1","n":"1"}`).toString('base64url'),
    ],
    [
      'an empty OS number',
      Buffer.from('{"t":"2026-12-01 00:00:00+00","n":""}').toString('base64url'),
    ],
  ])('refuses %s', (_case, text) => {
    expect(decodeChangeCursor(text)).toBeUndefined();
  });
});
