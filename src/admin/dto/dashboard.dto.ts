import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class PeriodDto {
  @ApiProperty({ example: 30 })
  days!: number;

  @ApiProperty({ example: '2026-10-30', description: 'First local day of the window.' })
  inicio!: string;

  @ApiProperty({ example: '2026-11-28' })
  fim!: string;

  @ApiProperty({ example: 'America/Sao_Paulo' })
  timezone!: string;
}

export class GeneralStatsDto {
  @ApiProperty({ example: 1000 })
  total!: number;

  @ApiProperty({ example: 962 })
  sucessos!: number;

  @ApiProperty({ example: 8 })
  falhas!: number;

  @ApiProperty({ example: 30 })
  nao_encontradas!: number;

  @ApiProperty({ example: 96.2, description: 'sucessos / total, in percent.' })
  success_rate!: number;

  @ApiProperty({ example: 0.8, description: 'falhas / total, in percent.' })
  error_rate!: number;

  @ApiProperty({ example: 0.482, description: 'Mean time per OS, in seconds.' })
  avg_processing_time!: number;

  @ApiProperty({ example: 14 })
  retries!: number;

  @ApiProperty({ example: 7 })
  usuarios_ativos!: number;
}

export class UserFiguresDto {
  @ApiProperty({ format: 'uuid' })
  user_id!: string;

  @ApiProperty({ type: String, nullable: true, example: 'maria.souza' })
  username!: string | null;

  @ApiProperty({ example: 340 })
  total!: number;

  @ApiProperty({ example: 330 })
  sucessos!: number;

  @ApiProperty({ example: 2 })
  falhas!: number;

  @ApiProperty({ example: 8 })
  nao_encontradas!: number;

  @ApiProperty({ example: 97.1 })
  success_rate!: number;

  @ApiProperty({ example: 0.451, description: 'Seconds.' })
  avg_processing_time!: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  last_activity!: string | null;
}

export class DayUsageDto {
  @ApiProperty({ example: '2026-11-28' })
  data!: string;

  @ApiProperty({ example: 120 })
  total!: number;

  @ApiProperty({ example: 115 })
  sucessos!: number;

  @ApiProperty({ example: 1 })
  falhas!: number;

  @ApiProperty({ example: 4 })
  nao_encontradas!: number;
}

export class HourUsageDto {
  @ApiProperty({ example: 14, minimum: 0, maximum: 23 })
  hora!: number;

  @ApiProperty({ example: 80 })
  total!: number;

  @ApiProperty({ example: 77 })
  sucessos!: number;

  @ApiProperty({ example: 1 })
  falhas!: number;

  @ApiProperty({ example: 2 })
  nao_encontradas!: number;
}

export class TopOsDto {
  @ApiProperty({ example: '12345' })
  os_number!: string;

  @ApiProperty({ example: 9 })
  consultas!: number;

  @ApiProperty({ format: 'date-time' })
  ultima_consulta!: string;
}

export class PathShareDto {
  @ApiProperty({ example: 950 })
  total!: number;

  @ApiProperty({ example: 95 })
  percentual!: number;
}

export class PerformanceDto {
  @ApiProperty({ example: 1000 })
  total!: number;

  @ApiProperty({ example: 482.3 })
  avg_ms!: number;

  @ApiProperty({
    example: 351,
    description:
      'Exact for a one-day window; else from duration histograms, within 2 % of the exact value.',
  })
  p50_ms!: number;

  @ApiProperty({
    example: 1210,
    description:
      'Exact for a one-day window; else from duration histograms, within 2 % of the exact value.',
  })
  p95_ms!: number;

  @ApiProperty({ example: 0.482 })
  avg_processing_time!: number;

  @ApiProperty({ example: 14 })
  retries!: number;

  @ApiProperty({
    example: {
      http: { total: 950, percentual: 95 },
      browser: { total: 45, percentual: 4.5 },
      robust: { total: 5, percentual: 0.5 },
    },
  })
  caminhos!: Record<string, PathShareDto>;
}

export class AlertDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({
    enum: [
      'error_rate',
      'slow_os',
      'queue_backlog',
      'worker_memory',
      'layout_drift',
      'credentials_refused',
    ],
  })
  rule!: string;

  @ApiProperty({ example: 'scraping_batch' })
  subject!: string;

  @ApiProperty({ enum: ['warning', 'critical'] })
  severity!: string;

  @ApiProperty({ example: 'Fila scraping_batch com muitas tarefas pendentes: 64 (limite 50)' })
  message!: string;

  @ApiProperty({ example: 64 })
  value!: number;

  @ApiProperty({ example: 50 })
  threshold!: number;

  @ApiProperty({ format: 'date-time' })
  opened_at!: string;

  @ApiProperty({ format: 'date-time' })
  updated_at!: string;
}

export class DashboardDataDto {
  @ApiProperty({ type: PeriodDto })
  periodo!: PeriodDto;

  @ApiProperty({ type: GeneralStatsDto })
  estatisticas_gerais!: GeneralStatsDto;

  @ApiProperty({ type: [UserFiguresDto], description: 'Top 10 users by OS scraped.' })
  usuarios_mais_ativos!: UserFiguresDto[];

  @ApiProperty({ type: [DayUsageDto], description: 'Every day of the window, zeros included.' })
  uso_por_dia!: DayUsageDto[];

  @ApiProperty({
    type: [HourUsageDto],
    description: 'Use by hour of the day over the window (24 entries).',
  })
  uso_por_hora!: HourUsageDto[];

  @ApiProperty({ type: [TopOsDto], description: 'The 10 most queried OS.' })
  top_os!: TopOsDto[];

  @ApiProperty({ type: PerformanceDto })
  performance!: PerformanceDto;

  @ApiProperty({
    description: 'Live queue status (as `GET /api/desenvolvimento/scraping-queue-status`).',
  })
  filas!: Record<string, unknown>;

  @ApiProperty({ type: [AlertDto] })
  alertas!: AlertDto[];

  @ApiPropertyOptional({ format: 'date-time' })
  gerado_em!: string;
}

export class DashboardDto {
  @ApiProperty({ type: DashboardDataDto })
  dashboard_data!: DashboardDataDto;
}

export class RankingEntryDto extends UserFiguresDto {
  @ApiProperty({ example: 1 })
  posicao!: number;

  @ApiProperty({ example: 340 })
  os_scraped!: number;

  @ApiProperty({ example: 4 })
  batches!: number;
}

export class RankingDto {
  @ApiProperty({ type: PeriodDto })
  periodo!: PeriodDto;

  @ApiProperty({
    type: [RankingEntryDto],
    description: 'By OS scraped, most first; ties in a stable order.',
  })
  ranking!: RankingEntryDto[];
}

export class PerformanceBucketDto {
  @ApiProperty({ example: '2026-11-28T14:00:00', description: 'Local start of the bucket.' })
  inicio!: string;

  @ApiProperty({ example: 80 })
  count!: number;

  @ApiProperty({ example: 96.3 })
  success_rate!: number;

  @ApiProperty({ example: 480.2 })
  avg_ms!: number;

  @ApiProperty({
    example: 350,
    description:
      'Exact for a one-day window; else from duration histograms, within 2 % of the exact value.',
  })
  p50_ms!: number;

  @ApiProperty({
    example: 1190,
    description:
      'Exact for a one-day window; else from duration histograms, within 2 % of the exact value.',
  })
  p95_ms!: number;

  @ApiProperty({
    example: { http: 95, browser: 5, robust: 0 },
    description: 'Share of each path, in percent.',
  })
  caminhos!: Record<string, number>;

  @ApiProperty({ example: 2 })
  retries!: number;
}

export class PerformanceMetricsDto {
  @ApiProperty({ type: PeriodDto })
  periodo!: PeriodDto;

  @ApiProperty({ enum: ['hour', 'day'] })
  granularity!: string;

  @ApiProperty({ type: PerformanceDto })
  resumo!: PerformanceDto;

  @ApiProperty({ type: [PerformanceBucketDto], description: 'Buckets with use only.' })
  buckets!: PerformanceBucketDto[];
}
