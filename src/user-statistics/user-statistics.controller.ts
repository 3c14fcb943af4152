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
import { UserStatisticsDto } from './dto/user-statistics.dto.js';
import { UserStatisticsService } from './user-statistics.service.js';

@ApiTags('desenvolvimento: statistics')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorDto })
@Controller('desenvolvimento')
export class UserStatisticsController {
  constructor(private readonly statistics: UserStatisticsService) {}

  @Get('scraping-statistics')
  @ApiOperation({
    summary:
      "The caller's own usage: totals, per day (30 days), recent batches, this hour's quotas",
  })
  @ApiOkResponse({ type: UserStatisticsDto })
  statisticsOf(@CurrentUser() user: AuthenticatedUser) {
    return this.statistics.forUser(user);
  }
}
