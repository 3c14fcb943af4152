import { ApiProperty } from '@nestjs/swagger';
import { SCRAPE_PATHS, type ScrapePath } from '../../stats/scrape-outcome.js';

/** One stored OS in the change feed, at its current version. */
export class OsChangeDto {
  @ApiProperty({ example: '12345' })
  os_number!: string;

  @ApiProperty({ example: 2, description: 'Moves only when the content changed.' })
  version!: number;

  @ApiProperty({ format: 'date-time' })
  last_changed_at!: string;

  @ApiProperty({ format: 'date-time' })
  last_scraped_at!: string;

  @ApiProperty({ enum: SCRAPE_PATHS })
  last_path!: ScrapePath;

  @ApiProperty({ description: 'The typed fields and tables the profile defines.' })
  data!: Record<string, unknown>;
}

export class OsChangesPageDto {
  @ApiProperty({ type: [OsChangeDto], description: 'Oldest change first.' })
  items!: OsChangeDto[];

  @ApiProperty({
    description:
      'Where the next page starts; also where to poll from later for newer changes (opaque).',
    nullable: true,
    type: String,
  })
  next_cursor!: string | null;

  @ApiProperty({ description: 'More changes are ready now: ask for `next_cursor` at once.' })
  has_more!: boolean;
}
