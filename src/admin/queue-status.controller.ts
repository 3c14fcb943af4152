import { Controller, Get } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ErrorDto } from '../common/dto/error.dto.js';
import { QueueStatusService, type QueueStatus } from './queue-status.service.js';

@ApiTags('desenvolvimento: statistics')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorDto })
@Controller('desenvolvimento')
export class QueueStatusController {
  constructor(private readonly queues: QueueStatusService) {}

  @Get('scraping-queue-status')
  @ApiOperation({
    summary:
      'Queues, workers, browser pools, Redis and the last errors (where to look when something is off)',
  })
  @ApiOkResponse({
    description:
      '`{redis, queues: {scraping|scraping_batch|maintenance: {waiting, active, delayed, throttled, completed, failed, paused}}, workers: [{id, role, memory, browser_pool, sessions}], workers_connected, circuit_breaker, path_choice: {source, mode, order, reason, since, http_miss_streak, since_http_probe, http_attempts_wasted, browser_reads}, inline_fallback, last_errors}`',
  })
  status(): Promise<QueueStatus> {
    return this.queues.status();
  }
}
