import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  SCRAPE_OUTCOMES,
  SCRAPE_PATHS,
  type ScrapeOutcome,
  type ScrapePath,
} from '../../stats/scrape-outcome.js';
import { TASK_STATES, type TaskState, type TaskStatus } from '../task-status.js';

export class TaskItemResultDto {
  @ApiProperty({ example: '12345' })
  os_number!: string;

  @ApiProperty({ enum: [...SCRAPE_OUTCOMES, 'cancelled'], example: 'success' })
  outcome!: ScrapeOutcome | 'cancelled';

  @ApiPropertyOptional({
    example: 'timeout',
    description: 'Error code and message when the OS failed.',
  })
  error?: string;

  @ApiPropertyOptional({ enum: SCRAPE_PATHS, example: 'http' })
  path?: ScrapePath;

  @ApiProperty({ example: 412 })
  duration_ms!: number;

  @ApiPropertyOptional({ example: 1 })
  attempts?: number;

  @ApiPropertyOptional({
    example: '/api/admin/scraping/snapshots/0b6c1f0e-6f1a-4a57-9d1e-4f3b3c2a1d00',
    description:
      'For a failed OS: where an admin reads the page it ended on (HTML, and a screenshot from a browser path). Admins only.',
  })
  snapshot?: string;
}

export class TaskResultDto {
  @ApiProperty({ example: 100 })
  total!: number;

  @ApiProperty({ example: 95 })
  succeeded!: number;

  @ApiProperty({ example: 2 })
  failed!: number;

  @ApiProperty({ example: 3 })
  not_found!: number;

  @ApiProperty({
    example: 0,
    description: 'OS the target says exist but the account may not see (outcome "forbidden").',
  })
  forbidden!: number;

  @ApiProperty({ example: 0 })
  cancelled!: number;

  @ApiProperty({ example: 7, description: 'Tries beyond the first, over all OS.' })
  retries!: number;

  @ApiProperty({ example: 482, description: 'Mean time per OS (ms).' })
  avg_duration_ms!: number;

  @ApiProperty({ example: 1210, description: '95th percentile time per OS (ms).' })
  p95_duration_ms!: number;

  @ApiProperty({ example: 61_234, description: 'Wall time from start to finish (ms).' })
  wall_time_ms!: number;

  @ApiProperty({
    example: { http: 93, browser: 2, robust: 0 },
    description: 'OS per path that produced them.',
  })
  paths!: Record<ScrapePath, number>;

  @ApiProperty({ type: [TaskItemResultDto] })
  items!: TaskItemResultDto[];
}

/** The status of a batch or single-OS task, with the keys of the original API. */
export class TaskStatusDto {
  @ApiProperty({ format: 'uuid' })
  task_id!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Lote_Producao_2024' })
  batch_name!: string | null;

  @ApiProperty({
    enum: ['processing', 'completed', 'failed', 'cancelled'],
    description: '`processing` while queued, throttled or running: clients poll while it holds.',
  })
  status!: TaskStatus;

  @ApiProperty({ enum: TASK_STATES })
  state!: TaskState;

  @ApiProperty({ example: 42, minimum: 0, maximum: 100 })
  progress!: number;

  @ApiProperty({ example: '42/100 OS processadas…' })
  message!: string;

  @ApiProperty({ example: 100 })
  total!: number;

  @ApiProperty({ example: 42 })
  processed!: number;

  @ApiProperty({ example: 40 })
  succeeded!: number;

  @ApiProperty({ example: 1 })
  failed!: number;

  @ApiProperty({ example: 1 })
  not_found!: number;

  @ApiProperty({
    example: 0,
    description: 'OS the target says exist but the account may not see (outcome "forbidden").',
  })
  forbidden!: number;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  started_at!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  finished_at!: string | null;

  @ApiProperty({
    type: TaskResultDto,
    nullable: true,
    description: 'Present once the task is finished.',
  })
  result!: TaskResultDto | null;
}
