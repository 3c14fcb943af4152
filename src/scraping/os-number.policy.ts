import { BadRequestException, Injectable } from '@nestjs/common';
import { isValidOsNumber } from './extractor/lookup-request.js';
import { TargetDefinition } from './target/target-definition.js';

/** Which OS numbers users may ask for: the target profile's pattern, checked before anything else. */
@Injectable()
export class OsNumberPolicy {
  constructor(private readonly target: TargetDefinition) {}

  get pattern(): string {
    return this.target.profile.os_number_pattern;
  }

  isValid(osNumber: string): boolean {
    return isValidOsNumber(this.target.profile, osNumber);
  }

  /** The trimmed number, or a 400 naming the field and the pattern. */
  assertValid(osNumber: string, field: string): string {
    const trimmed = osNumber.trim();
    if (!this.isValid(trimmed)) {
      throw new BadRequestException(`${field} must match the OS number pattern ${this.pattern}`);
    }
    return trimmed;
  }
}
