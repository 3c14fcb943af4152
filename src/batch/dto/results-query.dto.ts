import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export class ResultsQuery {
  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' })
  @IsIn(['json', 'csv'])
  @IsOptional()
  format: 'json' | 'csv' = 'json';
}
