import { Controller, Get } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { CurrentUser } from '../auth/decorators/current-user.decorator.js';
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
  @ApiOkResponse({
    type: QueueStatusDto,
    description:
      'A user sees the aggregate figures and only their own `last_errors`; `workers` (hosts, pids, sessions) is filled for admins only and empty for users.',
  })
  status(@CurrentUser() user: AuthenticatedUser): Promise<QueueStatusDto> {
    return this.queues.statusFor(user);
  }
}
