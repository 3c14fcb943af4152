import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { profileConsistencyProblems } from './profile-consistency-checks.js';
import { TargetProfile } from './target-profile.js';

export interface ProfileValidationResult {
  /** Set only when there are no errors. */
  profile?: TargetProfile;
  /** One line per problem: `fields[3].selector: must be a non-empty string`. */
  errors: string[];
}

// When a property breaks several rules, this one says the most.
const PREFERRED = ['isDefined', 'whitelistValidation'];

const CREDENTIAL_KEY = /user|pass|senha|login_name|credential|secret/i;

function message(property: string, constraints: Record<string, string>): string {
  const key = PREFERRED.find((k) => k in constraints) ?? Object.keys(constraints)[0];
  if (key !== 'whitelistValidation') return constraints[key];
  return CREDENTIAL_KEY.test(property)
    ? 'is not a known property (credentials never go in the profile: set TARGET_USERNAME and TARGET_PASSWORD)'
    : 'is not a known property';
}

function flatten(errors: ValidationError[], parent: string, out: string[]): void {
  for (const error of errors) {
    const path =
      /^\d+$/.test(error.property) && parent
        ? `${parent}[${error.property}]`
        : parent
          ? `${parent}.${error.property}`
          : error.property;
    if (error.constraints && Object.keys(error.constraints).length > 0) {
      const text = message(error.property, error.constraints);
      // "[2] ..." comes from a rule applied to each item of an array: name the item.
      const item = /^\[(\d+)\] (.*)$/s.exec(text);
      out.push(item ? `${path}[${item[1]}]: ${item[2]}` : `${path}: ${text}`);
    }
    if (error.children?.length) flatten(error.children, path, out);
  }
}

/** Drops follow-up noise: with an unknown lookup mode, the other lookup keys are not "unknown". */
function prune(lines: string[]): string[] {
  const badMode = lines.some((line) => line.startsWith('lookup.mode:'));
  return lines.filter(
    (line) => !(badMode && line.startsWith('lookup.') && line.endsWith('is not a known property')),
  );
}

/**
 * Checks a parsed profile: structure and types (class-validator), then cross-references.
 * Unknown keys are errors, so a typo ("selecter") is caught instead of silently ignored.
 */
export function validateProfile(raw: unknown): ProfileValidationResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { errors: ['(root): must be a JSON object'] };
  }
  const profile = plainToInstance(TargetProfile, raw);
  const structural: string[] = [];
  flatten(
    validateSync(profile, {
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: false,
    }),
    '',
    structural,
  );
  const errors = [...prune(structural), ...profileConsistencyProblems(profile)];
  return errors.length > 0 ? { errors } : { profile, errors };
}
