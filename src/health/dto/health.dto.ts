import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import type { HealthCheckResult, HealthIndicatorResult } from '@nestjs/terminus';

const INDICATORS: ApiPropertyOptions = {
  type: 'object',
  additionalProperties: {
    type: 'object',
    properties: { status: { type: 'string', enum: ['up', 'down'] } },
    additionalProperties: true,
  },
  example: { database: { status: 'up' }, redis: { status: 'up' }, browser_pool: { status: 'up' } },
};

/** `GET /api/health`: each check by name (`database`, `redis`, `browser_pool`, `target_login`) and its state. */
export class HealthDto implements Omit<HealthCheckResult, 'status'> {
  @ApiProperty({ enum: ['ok', 'degraded', 'error', 'shutting_down'] })
  status!: HealthCheckResult['status'] | 'degraded';

  @ApiPropertyOptional({
    description: 'Why the service is degraded (e.g. the target refuses the credentials).',
  })
  reason?: string;

  @ApiPropertyOptional({ ...INDICATORS, description: 'The checks that are up.' })
  info?: Partial<HealthIndicatorResult>;

  @ApiPropertyOptional({ ...INDICATORS, description: 'The checks that are down.' })
  error?: Partial<HealthIndicatorResult>;

  @ApiProperty({ ...INDICATORS, description: 'Every check.' })
  details!: HealthIndicatorResult;
}

/** `GET /api/health/live`. */
export class LivenessDto {
  @ApiProperty({ enum: ['ok'] })
  status!: 'ok';
}
