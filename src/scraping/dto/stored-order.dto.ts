import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SCRAPE_PATHS, type ScrapePath } from '../../stats/scrape-outcome.js';

export class StoredOrderDto {
  @ApiProperty({ example: '12345' })
  os_number!: string;

  @ApiProperty({
    description: 'The typed fields and tables the profile defines.',
    example: { cliente_nome: 'Metalúrgica Andrade Ltda', valor_total: 1234.56 },
  })
  data!: Record<string, unknown>;

  @ApiProperty({ example: 2, description: 'Moves only when the content changed.' })
  version!: number;

  @ApiProperty({ enum: SCRAPE_PATHS })
  last_path!: ScrapePath;

  @ApiProperty({ format: 'date-time' })
  first_seen_at!: string;

  @ApiProperty({ format: 'date-time' })
  last_scraped_at!: string;

  @ApiProperty({ format: 'date-time' })
  last_changed_at!: string;

  @ApiProperty({ example: 3600, description: 'Seconds since it was last read.' })
  age_seconds!: number;

  @ApiPropertyOptional({ format: 'uuid', description: 'The refresh task, with `?refresh=true`.' })
  refresh_task_id?: string;
}
