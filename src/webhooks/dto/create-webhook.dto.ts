import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
} from 'class-validator';
import { WEBHOOK_EVENTS, type WebhookEvent } from '../webhook-outbox.js';

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://frontend.example.com/hooks/registro-os' })
  @MaxLength(2_000, { message: 'url must be at most 2000 characters' })
  @IsString({ message: 'url must be a string' })
  url!: string;

  @ApiProperty({ enum: WEBHOOK_EVENTS, isArray: true })
  @IsIn(WEBHOOK_EVENTS, {
    each: true,
    message: `events must be among ${WEBHOOK_EVENTS.join(', ')}`,
  })
  @ArrayUnique({ message: 'events must not repeat' })
  @ArrayMaxSize(WEBHOOK_EVENTS.length)
  @ArrayMinSize(1, { message: 'events must name at least one event' })
  @IsArray({ message: 'events must be an array' })
  events!: WebhookEvent[];

  @ApiPropertyOptional({
    description: 'Your own signing secret (32-128 characters); generated when absent.',
  })
  @MaxLength(128, { message: 'secret must be at most 128 characters' })
  @MinLength(32, { message: 'secret must be at least 32 characters' })
  @IsString({ message: 'secret must be a string' })
  @IsOptional()
  secret?: string;
}
