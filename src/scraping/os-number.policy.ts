import { BadRequestException, Injectable } from '@nestjs/common';
import { isValidOsNumber } from './extractor/lookup-request.js';
import { TargetDefinition } from './target/target-definition.js';

/**
 * Which OS numbers users may ask for, and how they are written: the number is trimmed, normalised
 * by the profile's `os_number_normalize` rule, then checked against its pattern before anything
 * else, so one OS is never stored under two spellings.
 */
@Injectable()
export class OsNumberPolicy {
  constructor(private readonly target: TargetDefinition) {}

  get pattern(): string {
    return this.target.profile.os_number_pattern;
  }

  isValid(osNumber: string): boolean {
    return isValidOsNumber(this.target.profile, osNumber);
  }

  /** The number as the service keeps it: trimmed, and normalised by the profile's rule. */
  normalize(osNumber: string): string {
    const trimmed = osNumber.trim();
    return this.target.profile.os_number_normalize === 'strip_leading_zeros'
      ? trimmed.replace(/^0+(?=\d)/, '')
      : trimmed;
  }

  /** The normalised number, or a 400 naming the field and the pattern. */
  assertValid(osNumber: string, field: string): string {
    const trimmed = this.normalize(osNumber);
    if (!this.isValid(trimmed)) {
      throw new BadRequestException(`${field} must match the OS number pattern ${this.pattern}`);
    }
    return trimmed;
  }
}
