import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PaginationQueryDto } from '../../common/dto/pagination-query.dto.js';
import { MAINTENANCE_TASKS, type MaintenanceTask } from '../../queues/job-payloads.js';

export class MaintenanceTaskParam {
  @ApiProperty({ enum: MAINTENANCE_TASKS })
  @IsIn(MAINTENANCE_TASKS, { message: `task must be one of: ${MAINTENANCE_TASKS.join(', ')}` })
  task!: MaintenanceTask;
}

export class MaintenanceRunsQuery extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: MAINTENANCE_TASKS })
  @IsIn(MAINTENANCE_TASKS)
  @IsOptional()
  task?: MaintenanceTask;
}

export class MaintenanceRunDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: MAINTENANCE_TASKS })
  task!: MaintenanceTask;

  @ApiProperty({ example: 'clean-jobs:2026-11-28T12:00Z' })
  job_id!: string;

  @ApiProperty({ example: 'schedule', description: '`schedule`, or the admin who ran it.' })
  triggered_by!: string;

  @ApiProperty({ enum: ['success', 'failed'] })
  status!: string;

  @ApiProperty({
    nullable: true,
    example: { removed: { scraping: 12, scraping_batch: 3, maintenance: 48 } },
  })
  result!: Record<string, unknown> | null;

  @ApiProperty({ type: String, nullable: true })
  error!: string | null;

  @ApiProperty({ format: 'date-time' })
  started_at!: string;

  @ApiProperty({ format: 'date-time' })
  finished_at!: string;

  @ApiProperty({ example: 42 })
  duration_ms!: number;
}

export class MaintenanceRunListDto {
  @ApiProperty({ type: [MaintenanceRunDto] })
  items!: MaintenanceRunDto[];

  @ApiProperty({ example: 120 })
  total!: number;

  @ApiProperty({ example: 1 })
  page!: number;

  @ApiProperty({ example: 50 })
  page_size!: number;
}

export class MaintenanceQueuedDto {
  @ApiProperty({ enum: MAINTENANCE_TASKS })
  task!: MaintenanceTask;

  @ApiProperty({ example: 'clean-jobs:manual:5b0c…' })
  job_id!: string;

  @ApiProperty({ example: 'queued' })
  status!: 'queued';
}
