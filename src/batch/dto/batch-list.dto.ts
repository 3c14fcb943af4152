import { ApiProperty } from '@nestjs/swagger';
import { TaskStatusDto } from '../../scraping/dto/task-status.dto.js';

export class BatchListDto {
  @ApiProperty({
    type: [TaskStatusDto],
    description: 'Newest first; `result` is left out of the list.',
  })
  items!: TaskStatusDto[];

  @ApiProperty({ example: 12 })
  total!: number;

  @ApiProperty({ example: 1 })
  page!: number;

  @ApiProperty({ example: 50 })
  page_size!: number;
}
