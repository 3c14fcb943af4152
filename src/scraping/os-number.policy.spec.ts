import { BadRequestException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { loadProfile } from './profile/profile-loader.js';
import { OsNumberPolicy } from './os-number.policy.js';
import { TargetDefinition } from './target/target-definition.js';

const simulator = loadProfile('profiles/erp-simulator.json');
const policy = (rule?: 'keep' | 'strip_leading_zeros') =>
  new OsNumberPolicy(
    new TargetDefinition({ ...simulator, os_number_normalize: rule }, undefined, undefined),
  );

describe('OsNumberPolicy', () => {
  it('the simulator profiles strip leading zeros: 0012345 and 12345 are one OS', () => {
    const numbers = new OsNumberPolicy(new TargetDefinition(simulator, undefined, undefined));
    expect(loadProfile('profiles/erp-simulator-b.json').os_number_normalize).toBe(
      'strip_leading_zeros',
    );
    expect(numbers.assertValid(' 0012345 ', 'os_number')).toBe('12345');
    expect(numbers.assertValid('12345', 'os_number')).toBe('12345');
    expect(numbers.assertValid('000', 'os_number')).toBe('0');
    // Normalised before the pattern: nine digits of which seven count are one OS of seven.
    expect(numbers.assertValid('001234567', 'os_number')).toBe('1234567');
  });

  it('keeps leading zeros when the rule is keep or absent', () => {
    for (const numbers of [policy('keep'), policy(undefined)]) {
      expect(numbers.assertValid(' 0012345 ', 'os_number')).toBe('0012345');
      expect(() => numbers.assertValid('001234567', 'os_number')).toThrow(BadRequestException);
    }
  });

  it('still refuses what the pattern refuses, naming the field', () => {
    expect(() => policy('strip_leading_zeros').assertValid('00a1', 'os_number')).toThrow(
      'os_number must match the OS number pattern ^[0-9]{1,7}$',
    );
  });
});
