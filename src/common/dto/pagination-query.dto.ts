import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { DecimalInteger } from './decimal-integer.js';

export class PaginationQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, default: 1 })
  @DecimalInteger()
  @Min(1)
  @Max(1_000_000)
  @IsInt()
  page = 1;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 50 })
  @DecimalInteger()
  @Min(1)
  @Max(200)
  @IsInt()
  page_size = 50;
}
