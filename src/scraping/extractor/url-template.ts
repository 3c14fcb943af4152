import { templateVariables } from '../profile/profile-consistency-checks.js';

/** A template names a variable the caller has no value for. */
export class MissingTemplateVariableError extends Error {
  constructor(readonly variable: string) {
    super(`No value for {${variable}}`);
    this.name = 'MissingTemplateVariableError';
  }
}

/**
 * Fills `{name}` placeholders, URL-encoding each value (values come from users and pages, never
 * trusted to be URL-safe). Throws `MissingTemplateVariableError` for a placeholder without value.
 */
export function resolveUrlTemplate(
  template: string,
  vars: Record<string, string | number>,
): string {
  for (const name of templateVariables(template)) {
    if (!(name in vars)) throw new MissingTemplateVariableError(name);
  }
  return template.replace(/\{([^{}]*)\}/g, (_, name: string) =>
    encodeURIComponent(String(vars[name])),
  );
}
