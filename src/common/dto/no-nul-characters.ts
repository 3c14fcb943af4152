import { ValidateBy } from 'class-validator';

/**
 * Free text that reaches PostgreSQL: `text` cannot hold U+0000, so such a string failed there as
 * a 500 (a login with `"\u0000"` as username). Refused up front with the field's name instead.
 */
export const NoNulCharacters = (): PropertyDecorator =>
  ValidateBy({
    name: 'noNulCharacters',
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || !value.includes('\u0000'),
      defaultMessage: (args) => `${args?.property ?? 'value'} must not contain NUL characters`,
    },
  });
