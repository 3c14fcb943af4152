import { Controller, Get } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ErrorDto } from '../common/dto/error.dto.js';
import { QueueStatusDto } from './dto/queue-status.dto.js';
import { QueueStatusService } from './queue-status.service.js';

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
  @ApiOkResponse({ type: QueueStatusDto })
  status(): Promise<QueueStatusDto> {
    return this.queues.status();
  }
}
