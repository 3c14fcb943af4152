import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { DecimalInteger } from '../../common/dto/decimal-integer.js';

export class DaysQuery {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 365,
    default: 30,
    description: 'Calendar days, today included.',
  })
  @DecimalInteger()
  @Min(1)
  @Max(365)
  @IsInt()
  days = 30;
}

export class RankingQuery extends DaysQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 20 })
  @DecimalInteger()
  @Min(1)
  @Max(200)
  @IsInt()
  limit = 20;
}

export class PerformanceQuery extends DaysQuery {
  @ApiPropertyOptional({ enum: ['hour', 'day'], default: 'day' })
  @IsIn(['hour', 'day'])
  @IsOptional()
  granularity: 'hour' | 'day' = 'day';
}
