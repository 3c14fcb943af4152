/** A profile file that cannot be used; `errors` has one line per problem, each naming its path. */
export class ProfileValidationError extends Error {
  constructor(
    readonly errors: string[],
    readonly source?: string,
  ) {
    super(`Invalid target profile${source ? ` ${source}` : ''}:\n  ${errors.join('\n  ')}`);
    this.name = 'ProfileValidationError';
  }
}
