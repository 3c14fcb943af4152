import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsISO8601,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { DecimalInteger } from '../../common/dto/decimal-integer.js';

export class OsChangesQuery {
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'OS whose content changed at or after this instant; required without `cursor`.',
    example: '2026-12-01T00:00:00Z',
  })
  @IsISO8601({ strict: true }, { message: 'changed_since must be an ISO 8601 date-time' })
  @ValidateIf(
    (query: OsChangesQuery) => query.cursor === undefined || query.changed_since !== undefined,
  )
  changed_since?: string;

  @ApiPropertyOptional({ description: 'The `next_cursor` of the previous page.' })
  @MaxLength(512, { message: 'cursor must be at most 512 characters' })
  @IsString({ message: 'cursor must be a string' })
  @IsOptional()
  cursor?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 100 })
  @DecimalInteger()
  @Min(1)
  @Max(500)
  @IsInt()
  limit = 100;
}
