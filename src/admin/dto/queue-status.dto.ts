import { ApiProperty } from '@nestjs/swagger';
import type { QueueCounts, QueueStatus } from '../queue-status.service.js';

class RedisReachabilityDto {
  @ApiProperty()
  reachable!: boolean;

  @ApiProperty({ type: 'integer', nullable: true })
  latency_ms!: number | null;

  @ApiProperty({ type: String, nullable: true })
  error!: string | null;
}

class QueueCountsDto implements QueueCounts {
  @ApiProperty({ type: 'integer' }) waiting!: number;
  @ApiProperty({ type: 'integer' }) active!: number;
  @ApiProperty({ type: 'integer' }) delayed!: number;
  @ApiProperty({ type: 'integer', description: 'Over the user’s hourly rate, waiting their turn.' })
  throttled!: number;
  @ApiProperty({ type: 'integer' }) completed!: number;
  @ApiProperty({ type: 'integer' }) failed!: number;
  @ApiProperty({ type: 'integer' }) paused!: number;
}

class QueuesDto {
  @ApiProperty({ type: QueueCountsDto, nullable: true }) scraping!: QueueCountsDto | null;
  @ApiProperty({ type: QueueCountsDto, nullable: true }) scraping_batch!: QueueCountsDto | null;
  @ApiProperty({ type: QueueCountsDto, nullable: true }) maintenance!: QueueCountsDto | null;
}

class CircuitBreakerDto {
  @ApiProperty({ enum: ['closed', 'open', 'half_open'] })
  state!: 'closed' | 'open' | 'half_open';

  @ApiProperty({ type: 'integer', description: 'Consecutive target failures.' })
  failures!: number;

  @ApiProperty({ type: 'integer', description: 'When it opened (ms since the epoch; 0: never).' })
  opened!: number;
}

class LastErrorDto {
  @ApiProperty({ example: '12345' }) os_number!: string;
  @ApiProperty({ type: String, nullable: true }) error_code!: string | null;
  @ApiProperty({ type: String, nullable: true }) error_message!: string | null;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

/** `GET /api/desenvolvimento/scraping-queue-status`. */
export class QueueStatusDto implements QueueStatus {
  @ApiProperty({ type: RedisReachabilityDto })
  redis!: RedisReachabilityDto;

  @ApiProperty({ type: QueuesDto, description: 'Jobs per queue and state; null when unreachable.' })
  queues!: QueuesDto;

  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description:
      'Live worker processes as they report themselves: `id`, `role`, `memory`, `browser_pool`, `sessions`.',
  })
  workers!: Array<Record<string, unknown>>;

  @ApiProperty({ type: 'integer' })
  workers_connected!: number;

  @ApiProperty({ type: CircuitBreakerDto, nullable: true })
  circuit_breaker!: CircuitBreakerDto | null;

  @ApiProperty({ description: 'Single OS are scraped inline in the API while Redis is down.' })
  inline_fallback!: boolean;

  @ApiProperty({ type: [LastErrorDto] })
  last_errors!: LastErrorDto[];

  @ApiProperty({ format: 'date-time' })
  generated_at!: string;
}
