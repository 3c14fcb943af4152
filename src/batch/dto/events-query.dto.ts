import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** The query of the event stream: a ticket instead of a bearer header, and where to resume. */
export class EventsQuery {
  @ApiPropertyOptional({
    description: 'A ticket from `events-ticket`, for clients that cannot send `Authorization`.',
  })
  @MaxLength(128, { message: 'ticket must be at most 128 characters' })
  @IsString({ message: 'ticket must be a string' })
  @IsOptional()
  ticket?: string;

  @ApiPropertyOptional({
    description:
      'The id of the last event received, as the `Last-Event-ID` header (which wins): for a new ' +
      '`EventSource` that resumes a stream, since it cannot set that header.',
    example: '1764600000000-0',
  })
  @Matches(/^\d{1,20}-\d{1,20}$/, {
    message: 'last_event_id must be an event id such as 1764600000000-0',
  })
  @IsOptional()
  last_event_id?: string;
}
