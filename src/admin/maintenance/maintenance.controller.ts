import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { AuthenticatedUser } from '../../auth/authenticated-user.js';
import { CurrentUser } from '../../auth/decorators/current-user.decorator.js';
import { Roles } from '../../auth/decorators/roles.decorator.js';
import { ErrorDto } from '../../common/dto/error.dto.js';
import type { MaintenanceRun } from '../entities/maintenance-run.entity.js';
import {
  MaintenanceQueuedDto,
  MaintenanceRunDto,
  MaintenanceRunListDto,
  MaintenanceRunsQuery,
  MaintenanceTaskParam,
} from '../dto/maintenance.dto.js';
import { MaintenanceService } from './maintenance.service.js';

@ApiTags('admin: scraping')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorDto })
@ApiForbiddenResponse({ type: ErrorDto })
@Roles('admin')
@Controller('admin/scraping')
export class MaintenanceController {
  constructor(private readonly maintenance: MaintenanceService) {}

  @Get('maintenance-runs')
  @ApiOperation({
    summary: 'Maintenance runs, newest first: what each did, how long it took, errors',
  })
  @ApiOkResponse({ type: MaintenanceRunListDto })
  async runs(@Query() query: MaintenanceRunsQuery): Promise<MaintenanceRunListDto> {
    const [runs, total] = await this.maintenance.list(query.task, query.page, query.page_size);
    return { items: runs.map(toDto), total, page: query.page, page_size: query.page_size };
  }

  @Post('maintenance/:task')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Run a maintenance task now (queued for a worker)' })
  @ApiAcceptedResponse({ type: MaintenanceQueuedDto })
  async trigger(
    @Param() { task }: MaintenanceTaskParam,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<MaintenanceQueuedDto> {
    return {
      task,
      job_id: await this.maintenance.enqueueNow(task, user.username),
      status: 'queued',
    };
  }
}

function toDto(run: MaintenanceRun): MaintenanceRunDto {
  return {
    id: run.id,
    task: run.task,
    job_id: run.jobId,
    triggered_by: run.triggeredBy,
    status: run.status,
    result: run.result,
    error: run.error,
    started_at: run.startedAt.toISOString(),
    finished_at: run.finishedAt.toISOString(),
    duration_ms: run.durationMs,
  };
}
