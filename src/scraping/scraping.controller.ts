import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiExtraModels,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { CurrentUser } from '../auth/decorators/current-user.decorator.js';
import { ErrorDto } from '../common/dto/error.dto.js';
import { TaskIdParam } from '../common/dto/id-param.dto.js';
import { OsNumberParam, RefreshQuery } from './dto/os-number.param.js';
import { ScrapeAcceptedDto } from './dto/scrape-accepted.dto.js';
import { ScrapeOsDto } from './dto/scrape-os.dto.js';
import { OsNotFoundDto } from './dto/os-not-found.dto.js';
import { StoredOrderDto } from './dto/stored-order.dto.js';
import { TaskStatusDto } from './dto/task-status.dto.js';
import { ScrapingService } from './scraping.service.js';

@ApiTags('desenvolvimento: single OS')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorDto })
@ApiExtraModels(ScrapeAcceptedDto)
@Controller('desenvolvimento')
export class ScrapingController {
  constructor(private readonly scraping: ScrapingService) {}

  @Post('scraping')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Scrape one OS',
    description:
      'Queues the OS (202). Over the hourly rate the job waits as `throttled`; only past the backlog cap is it refused (429). ' +
      'Without Redis: 503, or with SCRAPER_INLINE_FALLBACK the API scrapes inline and answers 200 with `inline: true`.',
  })
  @ApiAcceptedResponse({ type: ScrapeAcceptedDto })
  @ApiOkResponse({
    type: ScrapeAcceptedDto,
    description: 'Scraped inline (queue unavailable, fallback on).',
  })
  @ApiBadRequestResponse({ type: ErrorDto })
  @ApiTooManyRequestsResponse({ type: ErrorDto })
  @ApiServiceUnavailableResponse({ type: ErrorDto })
  async scrape(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: ScrapeOsDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ScrapeAcceptedDto> {
    const accepted = await this.scraping.submit(user, body.os_number);
    if (accepted.inline) response.status(HttpStatus.OK);
    return accepted;
  }

  @Get('scraping-status/:task_id')
  @ApiOperation({ summary: 'Status of a single-OS task (same shape as a batch status)' })
  @ApiOkResponse({ type: TaskStatusDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  status(
    @CurrentUser() user: AuthenticatedUser,
    @Param() { task_id }: TaskIdParam,
  ): Promise<TaskStatusDto> {
    return this.scraping.status(user, task_id);
  }

  @Get('os/:os_number')
  @ApiOperation({
    summary: 'The stored data of an OS and how fresh it is; `?refresh=true` also queues a new read',
  })
  @ApiOkResponse({ type: StoredOrderDto })
  @ApiAcceptedResponse({ type: ScrapeAcceptedDto, description: 'Never scraped, refresh queued.' })
  @ApiNotFoundResponse({
    type: OsNotFoundDto,
    description:
      'Never scraped, or (with `outcome: "not_found"` and `checked_at`) last read and not found on the ERP.',
  })
  async stored(
    @CurrentUser() user: AuthenticatedUser,
    @Param() { os_number }: OsNumberParam,
    @Query() { refresh }: RefreshQuery,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StoredOrderDto | ScrapeAcceptedDto> {
    const answer = await this.scraping.stored(user, os_number, refresh ?? false);
    if ('task_id' in answer && !answer.inline) response.status(HttpStatus.ACCEPTED);
    return answer;
  }
}
