import { describe, expect, it } from 'vitest';
import { loadProfile } from './profile-loader.js';
import { validateProfile } from './profile-validator.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SHIPPED = new URL('../../../profiles/erp-simulator.json', import.meta.url).pathname;

function withFreshness(freshness: unknown): Json {
  const profile = JSON.parse(JSON.stringify(loadProfile(SHIPPED))) as Json;
  profile.freshness = freshness;
  return profile;
}

const VALID = {
  status_field: 'status',
  final_values: ['Concluída', 'Cancelada'],
  max_age_minutes: 60,
};

describe('profile freshness block', () => {
  it('is optional', () => {
    const profile = JSON.parse(JSON.stringify(loadProfile(SHIPPED))) as Json;
    delete profile.freshness;
    const result = validateProfile(profile);
    expect(result.errors).toEqual([]);
    expect(result.profile?.freshness).toBeUndefined();
  });

  it('accepts a status field, its final values and a maximum age', () => {
    const result = validateProfile(withFreshness(VALID));
    expect(result.errors).toEqual([]);
    expect(result.profile?.freshness).toMatchObject(VALID);
  });

  it.each([
    ['not an object', 'soon', 'freshness: must be an object'],
    [
      'an unknown status field',
      { ...VALID, status_field: 'situacao' },
      'freshness.status_field: no field named "situacao" in fields',
    ],
    [
      'a missing status field',
      { final_values: ['Concluída'], max_age_minutes: 60 },
      'freshness.status_field: must be a non-empty string',
    ],
    [
      'no final values',
      { ...VALID, final_values: [] },
      'freshness.final_values: must list at least one final value',
    ],
    [
      'final values that are not a list',
      { ...VALID, final_values: 'Concluída' },
      'freshness.final_values: must be an array of strings',
    ],
    [
      'a final value the enum field cannot hold',
      { ...VALID, final_values: ['Concluída', 'Fechada'] },
      'freshness.final_values: "Fechada" is not one of the enum_values of field "status"',
    ],
    [
      'a zero maximum age',
      { ...VALID, max_age_minutes: 0 },
      'freshness.max_age_minutes: must be at least 1',
    ],
    [
      'a fractional maximum age',
      { ...VALID, max_age_minutes: 1.5 },
      'freshness.max_age_minutes: must be an integer (minutes)',
    ],
    [
      'an unknown key',
      { ...VALID, every_minutes: 5 },
      'freshness.every_minutes: is not a known property',
    ],
  ])('reports %s', (_case, freshness, line) => {
    expect(validateProfile(withFreshness(freshness)).errors).toContain(line);
  });
});
