import { ApiProperty } from '@nestjs/swagger';

/** A single-use ticket opening one batch's event stream without a bearer header. */
export class EventsTicketDto {
  @ApiProperty({
    description: 'Pass as `?ticket=` on `scraping-batch/{task_id}/events`; used once.',
  })
  ticket!: string;

  @ApiProperty({ type: 'integer', description: 'Seconds left to open the stream with it.' })
  expires_in!: number;
}
