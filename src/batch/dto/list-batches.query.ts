import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PaginationQueryDto } from '../../common/dto/pagination-query.dto.js';
import { TASK_STATES, type TaskState } from '../../scraping/task-status.js';

export class ListBatchesQuery extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: TASK_STATES })
  @IsIn(TASK_STATES)
  @IsOptional()
  state?: TaskState;
}
