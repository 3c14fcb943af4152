import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { CurrentUser } from '../auth/decorators/current-user.decorator.js';
import { ErrorDto } from '../common/dto/error.dto.js';
import { IdParam } from '../common/dto/id-param.dto.js';
import { CreateWebhookDto } from './dto/create-webhook.dto.js';
import {
  CreatedWebhookDto,
  WebhookDeliveryDto,
  WebhookDeliveryListDto,
  WebhookDto,
  WebhookListDto,
} from './dto/webhook.dto.js';
import { DeliveryParams } from './dto/webhook-params.dto.js';
import { WebhooksService } from './webhooks.service.js';

@ApiTags('desenvolvimento: webhooks')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorDto })
@Controller('desenvolvimento/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiOperation({
    summary: 'Register a URL for batch.completed, batch.failed and/or os.changed',
    description:
      'Each delivery is a JSON POST with `X-RegistroOS-Delivery` (dedupe on it), `X-RegistroOS-Event`, ' +
      '`X-RegistroOS-Timestamp` (Unix seconds) and `X-RegistroOS-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>">`. ' +
      'The secret is answered once, here.',
  })
  @ApiCreatedResponse({ type: CreatedWebhookDto })
  @ApiBadRequestResponse({ type: ErrorDto })
  create(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: CreateWebhookDto,
  ): Promise<CreatedWebhookDto> {
    return this.webhooks.create(user, body.url, body.events, body.secret);
  }

  @Get()
  @ApiOperation({ summary: "The caller's webhooks" })
  @ApiOkResponse({ type: WebhookListDto })
  async list(@CurrentUser() user: AuthenticatedUser): Promise<WebhookListDto> {
    return { items: await this.webhooks.list(user) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One of the caller’s webhooks (never its secret)' })
  @ApiOkResponse({ type: WebhookDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  get(@CurrentUser() user: AuthenticatedUser, @Param() { id }: IdParam): Promise<WebhookDto> {
    return this.webhooks.get(user, id);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Remove a webhook and its delivery log; answers what was removed' })
  @ApiOkResponse({ type: WebhookDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  async remove(
    @CurrentUser() user: AuthenticatedUser,
    @Param() { id }: IdParam,
  ): Promise<WebhookDto> {
    const webhook = await this.webhooks.get(user, id);
    await this.webhooks.remove(user, id);
    return webhook;
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'The delivery log of a webhook, newest first' })
  @ApiOkResponse({ type: WebhookDeliveryListDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  async deliveries(
    @CurrentUser() user: AuthenticatedUser,
    @Param() { id }: IdParam,
  ): Promise<WebhookDeliveryListDto> {
    return { items: await this.webhooks.deliveries(user, id) };
  }

  @Post(':id/deliveries/:delivery_id/redeliver')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Send a delivery again, with the same delivery id' })
  @ApiAcceptedResponse({ type: WebhookDeliveryDto, description: 'The delivery, pending again.' })
  @ApiNotFoundResponse({ type: ErrorDto })
  redeliver(
    @CurrentUser() user: AuthenticatedUser,
    @Param() { id, delivery_id }: DeliveryParams,
  ): Promise<WebhookDeliveryDto> {
    return this.webhooks.redeliver(user, id, delivery_id);
  }
}
