import { ApiProperty } from '@nestjs/swagger';
import { TaskStatusDto } from '../../scraping/dto/task-status.dto.js';

class UserTotalsDto {
  @ApiProperty({ example: 240 }) total!: number;
  @ApiProperty({ example: 230 }) success!: number;
  @ApiProperty({ example: 7 }) not_found!: number;
  @ApiProperty({ example: 0, description: 'OS the ERP account may not see.' }) forbidden!: number;
  @ApiProperty({ example: 3 }) failed!: number;
  @ApiProperty({ example: 95.8, description: 'Percent.' }) success_rate!: number;
  @ApiProperty({ example: 0.47, description: 'Seconds per OS.' }) avg_processing_time!: number;
  @ApiProperty({ example: 4 }) retries!: number;
}

class UserDayDto {
  @ApiProperty({ example: '2026-11-28' }) date!: string;
  @ApiProperty({ example: 40 }) total!: number;
  @ApiProperty({ example: 38 }) success!: number;
  @ApiProperty({ example: 1 }) not_found!: number;
  @ApiProperty({ example: 0 }) forbidden!: number;
  @ApiProperty({ example: 1 }) failed!: number;
}

class HourlyQuotaDto {
  @ApiProperty({ example: 10 }) limit!: number;
  @ApiProperty({ example: 3 }) used!: number;
  @ApiProperty({ example: 7 }) remaining!: number;
  @ApiProperty({ example: 1800 }) resets_in_seconds!: number;
}

class BacklogDto {
  @ApiProperty({ example: 2 }) os_waiting!: number;
  @ApiProperty({ example: 50 }) os_cap!: number;
  @ApiProperty({ example: 1 }) batches_waiting!: number;
  @ApiProperty({ example: 10 }) batches_cap!: number;
}

class QuotasDto {
  @ApiProperty({ type: HourlyQuotaDto }) os_per_hour!: HourlyQuotaDto;
  @ApiProperty({ type: HourlyQuotaDto }) batches_per_hour!: HourlyQuotaDto;
  @ApiProperty({ type: BacklogDto }) backlog!: BacklogDto;
}

export class UserStatisticsDto {
  @ApiProperty({ example: { id: '6f1c2a9e-3b1d-4c55-9a9e-0a1b2c3d4e5f', username: 'maria.souza' } })
  user!: { id: string; username: string };

  @ApiProperty({
    example: { days: 30, from: '2026-10-30', to: '2026-11-28', timezone: 'America/Sao_Paulo' },
  })
  period!: Record<string, unknown>;

  @ApiProperty({ type: UserTotalsDto }) totals!: UserTotalsDto;
  @ApiProperty({ type: [UserDayDto], description: 'Each of the last 30 days, zeros included.' })
  per_day!: UserDayDto[];
  @ApiProperty({ type: [TaskStatusDto], description: 'The 5 latest batches (without `result`).' })
  recent_batches!: TaskStatusDto[];
  @ApiProperty({ type: QuotasDto }) quotas!: QuotasDto;
}
