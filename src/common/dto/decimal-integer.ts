import { Transform } from 'class-transformer';

/**
 * A query parameter read as a base-10 integer. `Number()` (what `@Type(() => Number)` does) also
 * takes `0x1F`, `0b11`, `1e2` and `''` (0), so `?days=0x1F` was answered as 31 days; anything but
 * optional sign and digits is now left as it came, for `@IsInt()` to refuse by name.
 */
export const DecimalInteger = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^[+-]?\d{1,16}$/.test(value.trim()) ? Number(value) : value,
  );
