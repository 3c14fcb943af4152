import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Roles } from '../auth/decorators/roles.decorator.js';
import { ErrorDto } from '../common/dto/error.dto.js';
import { AdminStatsService } from './admin-stats.service.js';
import { DashboardDto, PerformanceMetricsDto, RankingDto } from './dto/dashboard.dto.js';
import { DaysQuery, PerformanceQuery, RankingQuery } from './dto/stats-query.dto.js';

@ApiTags('admin: scraping')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorDto })
@ApiForbiddenResponse({ type: ErrorDto, description: 'The caller is not an admin.' })
@Roles('admin')
@Controller('admin/scraping')
export class AdminStatsController {
  constructor(private readonly stats: AdminStatsService) {}

  @Get('dashboard')
  @ApiOperation({
    summary:
      'Everything an admin watches: figures, top users and OS, charts, performance, queues, alerts',
  })
  @ApiOkResponse({ type: DashboardDto })
  dashboard(@Query() { days }: DaysQuery) {
    return this.stats.dashboard(days);
  }

  @Get('users-ranking')
  @ApiOperation({
    summary: 'Users by OS scraped: batches, success rate, average time, last activity',
  })
  @ApiOkResponse({ type: RankingDto })
  ranking(@Query() { days, limit }: RankingQuery) {
    return this.stats.ranking(days, limit);
  }

  @Get('performance-metrics')
  @ApiOperation({
    summary: 'Per hour or day: count, success rate, avg/p50/p95 time, share of each path, retries',
  })
  @ApiOkResponse({ type: PerformanceMetricsDto })
  performance(@Query() { days, granularity }: PerformanceQuery) {
    return this.stats.performance(days, granularity);
  }
}
