import { ApiProperty } from '@nestjs/swagger';
import { SCRAPE_PATHS } from '../../stats/scrape-outcome.js';

/** A failure snapshot, without its content (read it at `html_url` / `screenshot_url`). */
export class SnapshotDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ example: '1038' })
  os_number!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  batch_id!: string | null;

  @ApiProperty({ enum: SCRAPE_PATHS, description: 'The path whose page this is.' })
  path!: string;

  @ApiProperty({ example: 3, description: 'Tries on every path.' })
  attempts!: number;

  @ApiProperty({ type: String, nullable: true })
  url!: string | null;

  @ApiProperty({ type: Number, nullable: true })
  http_status!: number | null;

  @ApiProperty({ type: String, nullable: true, example: 'incomplete' })
  error_code!: string | null;

  @ApiProperty({ type: String, nullable: true })
  error_message!: string | null;

  @ApiProperty({ description: 'Size of the page as read, in bytes.' })
  html_bytes!: number;

  @ApiProperty({ description: 'The stored HTML was cut at SNAPSHOT_MAX_HTML_BYTES.' })
  html_truncated!: boolean;

  @ApiProperty({ example: '/api/admin/scraping/snapshots/…/html' })
  html_url!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: '/api/admin/scraping/snapshots/…/screenshot',
  })
  screenshot_url!: string | null;

  @ApiProperty({
    type: Object,
    nullable: true,
    description:
      'What the extractor made of the page: `kind`, `missing`, each value it could not read with how it was looked for and why (`values`), and the tables.',
    example: {
      kind: 'ok',
      missing: ['cliente_nome'],
      values: [
        {
          path: 'cliente_nome',
          how: 'selector "#cli_nmoe"',
          required: true,
          state: 'empty',
          value: null,
          reason: 'matched nothing on the page',
        },
      ],
      tables: [],
    },
  })
  diagnostics!: object | null;
}

export class SnapshotListDto {
  @ApiProperty({ type: [SnapshotDto] })
  items!: SnapshotDto[];

  @ApiProperty()
  total!: number;

  @ApiProperty()
  page!: number;

  @ApiProperty()
  page_size!: number;
}
