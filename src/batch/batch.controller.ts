import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Query,
  Res,
  Sse,
  UseGuards,
  type MessageEvent,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { Observable } from 'rxjs';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { CurrentUser } from '../auth/decorators/current-user.decorator.js';
import { Public } from '../auth/decorators/public.decorator.js';
import { AppConfig } from '../config/app-config.js';
import { ErrorDto } from '../common/dto/error.dto.js';
import { TaskIdParam } from '../common/dto/id-param.dto.js';
import { TaskStatusDto } from '../scraping/dto/task-status.dto.js';
import { BatchEventsAuthGuard } from './batch-events-auth.guard.js';
import { BatchResultsService } from './batch-results.service.js';
import { BatchStreamService } from './batch-stream.service.js';
import { BatchesService } from './batches.service.js';
import { BatchAcceptedDto } from './dto/batch-accepted.dto.js';
import { ApiBatchEventsResponse } from './dto/batch-events.dto.js';
import { BatchListDto } from './dto/batch-list.dto.js';
import { ApiBatchResultsResponse } from './dto/batch-results.dto.js';
import { CreateBatchDto } from './dto/create-batch.dto.js';
import { EventsQuery } from './dto/events-query.dto.js';
import { EventsTicketDto } from './dto/events-ticket.dto.js';
import { EventsTicketService } from './events-ticket.service.js';
import { ListBatchesQuery } from './dto/list-batches.query.js';
import { ResultsQuery } from './dto/results-query.dto.js';

@ApiTags('desenvolvimento: batches')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorDto })
@Controller('desenvolvimento')
export class BatchController {
  constructor(
    private readonly batches: BatchesService,
    private readonly resultsStream: BatchResultsService,
    private readonly stream: BatchStreamService,
    private readonly tickets: EventsTicketService,
    private readonly config: AppConfig,
  ) {}

  @Post('scraping-batch')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Scrape a batch of up to 100 OS',
    description:
      'The batch and its OS are stored, then queued. Poll `scraping-batch-status/{task_id}` while `status` is `processing`, ' +
      'or follow `scraping-batch/{task_id}/events`. Over the hourly rate the batch waits as `throttled`; only past the ' +
      'backlog cap is it refused (429).',
  })
  @ApiHeader({
    // Lower case, as @Headers reads it: one optional parameter in the contract, not two.
    name: 'idempotency-key',
    required: false,
    description: 'Repeat a submission safely: the same key returns the same task_id.',
  })
  @ApiAcceptedResponse({ type: BatchAcceptedDto })
  @ApiBadRequestResponse({ type: ErrorDto })
  @ApiTooManyRequestsResponse({ type: ErrorDto })
  @ApiServiceUnavailableResponse({ type: ErrorDto })
  submit(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: CreateBatchDto,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<BatchAcceptedDto> {
    return this.batches.submit(user, body.os_numbers, body.batch_name, idempotencyKey);
  }

  @Get('scraping-batch-status/:task_id')
  @ApiOperation({ summary: 'Status of a batch, with `result` once it is finished' })
  @ApiOkResponse({ type: TaskStatusDto })
  @ApiNotFoundResponse({ type: ErrorDto, description: 'Unknown, or another user’s batch.' })
  status(
    @CurrentUser() user: AuthenticatedUser,
    @Param() { task_id }: TaskIdParam,
  ): Promise<TaskStatusDto> {
    return this.batches.status(user, task_id);
  }

  @Get('scraping-batches')
  @ApiOperation({ summary: "The caller's batches, newest first" })
  @ApiOkResponse({ type: BatchListDto })
  list(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: ListBatchesQuery,
  ): Promise<BatchListDto> {
    return this.batches.list(user, query.state, query.page, query.page_size);
  }

  @Post('scraping-batch/:task_id/cancel')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Cancel a batch: OS being read finish, the rest become cancelled' })
  @ApiOkResponse({ type: TaskStatusDto })
  @ApiConflictResponse({ type: ErrorDto, description: 'The batch already finished.' })
  @ApiNotFoundResponse({ type: ErrorDto })
  cancel(
    @CurrentUser() user: AuthenticatedUser,
    @Param() { task_id }: TaskIdParam,
  ): Promise<TaskStatusDto> {
    return this.batches.cancel(user, task_id);
  }

  @Post('scraping-batch/:task_id/retry-failed')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'A new batch of the OS that failed in this one' })
  @ApiAcceptedResponse({ type: BatchAcceptedDto })
  @ApiConflictResponse({ type: ErrorDto, description: 'Not finished yet, or nothing failed.' })
  @ApiNotFoundResponse({ type: ErrorDto })
  retryFailed(
    @CurrentUser() user: AuthenticatedUser,
    @Param() { task_id }: TaskIdParam,
  ): Promise<BatchAcceptedDto> {
    return this.batches.retryFailed(user, task_id);
  }

  @Get('scraping-batch/:task_id/results')
  @ApiOperation({
    summary:
      'Every OS of a batch with its outcome and data, streamed as JSON or CSV (UTF-8 with BOM, `;`)',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiBatchResultsResponse()
  @ApiNotFoundResponse({ type: ErrorDto })
  async results(
    @CurrentUser() user: AuthenticatedUser,
    @Param() { task_id }: TaskIdParam,
    @Query() { format }: ResultsQuery,
    @Res() response: Response,
  ): Promise<void> {
    const batch = await this.batches.visible(user, task_id);
    await this.resultsStream.stream(batch, format, response);
  }

  @Post('scraping-batch/:task_id/events-ticket')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'A single-use ticket for the event stream of a batch',
    description:
      'For a browser `EventSource`, which cannot send `Authorization`: pass it as `?ticket=` on ' +
      '`scraping-batch/{task_id}/events` within `expires_in` seconds. It opens that batch only, once.',
  })
  @ApiCreatedResponse({ type: EventsTicketDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  async eventsTicket(
    @CurrentUser() user: AuthenticatedUser,
    @Param() { task_id }: TaskIdParam,
  ): Promise<EventsTicketDto> {
    await this.batches.visible(user, task_id);
    const ticket = await this.tickets.issue(user, task_id);
    return { ticket, expires_in: this.config.EVENTS_TICKET_TTL_SECONDS };
  }

  @Sse('scraping-batch/:task_id/events')
  @Public()
  @UseGuards(BatchEventsAuthGuard)
  @ApiOperation({
    summary: 'Server-Sent Events of a batch',
    description:
      '`progress` (a snapshot first), `item` per OS as it finishes, `ping` every 15 s, then `final` with the full status; the stream then ends. ' +
      'Authenticated by the bearer token or by `?ticket=`. Events carry ids: reconnecting with `Last-Event-ID` ' +
      '(or `?last_event_id=`) replays what was missed instead of a new snapshot.',
  })
  @ApiHeader({ name: 'last-event-id', required: false, description: 'Resume after this event.' })
  @ApiProduces('text/event-stream')
  @ApiBatchEventsResponse()
  @ApiNotFoundResponse({ type: ErrorDto })
  @ApiTooManyRequestsResponse({
    type: ErrorDto,
    description: 'The user already holds SSE_MAX_STREAMS_PER_USER streams open.',
  })
  events(
    @CurrentUser() user: AuthenticatedUser,
    @Param() { task_id }: TaskIdParam,
    @Query() query: EventsQuery,
    @Headers('last-event-id') lastEventId?: string,
  ): Promise<Observable<MessageEvent>> {
    return this.stream.open(user, task_id, lastEventId || query.last_event_id);
  }
}
