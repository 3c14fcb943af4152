import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { PathChoice } from '../../scraping/paths/path-chooser.service.js';
import type { CredentialsRefusal } from '../../scraping/target/circuit-breaker.service.js';
import type { ScrapePath } from '../../stats/scrape-outcome.js';
import { SCRAPE_PATHS } from '../../stats/scrape-outcome.js';
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

class CredentialsRefusalDto implements CredentialsRefusal {
  @ApiProperty() reason!: string;
  @ApiProperty({ format: 'date-time' }) since!: string;
  @ApiProperty({ format: 'date-time', description: 'Logins are tried again at most then.' })
  until!: string;
}

export class CircuitBreakerDto {
  @ApiProperty({ enum: ['closed', 'open', 'half_open', 'credentials_refused'] })
  state!: 'closed' | 'open' | 'half_open' | 'credentials_refused';

  @ApiProperty({ type: 'integer', description: 'Consecutive target failures.' })
  failures!: number;

  @ApiProperty({ type: 'integer', description: 'When it opened (ms since the epoch; 0: never).' })
  opened!: number;

  @ApiPropertyOptional({
    type: CredentialsRefusalDto,
    description: 'Set while the target refuses the credentials: no login is tried.',
  })
  credentials_refused?: CredentialsRefusalDto;
}

class PathChoiceDto implements PathChoice {
  @ApiProperty({
    enum: ['profile', 'learnt'],
    description: '`profile`: its `paths`; `learnt`: by what worked.',
  })
  source!: 'profile' | 'learnt';
  @ApiProperty({ enum: ['http_first', 'browser_first'] })
  mode!: 'http_first' | 'browser_first';
  @ApiProperty({ enum: SCRAPE_PATHS, isArray: true })
  order!: ScrapePath[];
  @ApiProperty({ description: 'Why this order.' })
  reason!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  since!: string | null;
  @ApiProperty({
    type: 'integer',
    description: 'OS in a row where HTTP missed what a browser read.',
  })
  http_miss_streak!: number;
  @ApiProperty({ type: 'integer', description: 'OS read browser-first since HTTP was last tried.' })
  since_http_probe!: number;
  @ApiProperty({
    type: 'integer',
    description: 'HTTP reads that gave nothing where a browser did.',
  })
  http_attempts_wasted!: number;
  @ApiProperty({ type: 'integer' })
  browser_reads!: number;
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

  @ApiProperty({
    type: PathChoiceDto,
    nullable: true,
    description: 'The order of paths in use for the target, and why; null when Redis is down.',
  })
  path_choice!: PathChoiceDto | null;

  @ApiProperty({ description: 'Single OS are scraped inline in the API while Redis is down.' })
  inline_fallback!: boolean;

  @ApiProperty({ type: [LastErrorDto] })
  last_errors!: LastErrorDto[];

  @ApiProperty({ format: 'date-time' })
  generated_at!: string;
}
