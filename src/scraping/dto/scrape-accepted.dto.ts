import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TASK_STATES, type TaskState, type TaskStatus } from '../task-status.js';
import { TaskResultDto } from './task-status.dto.js';

/** The answer to a single-OS request: queued (202), or done inline when Redis is down (200). */
export class ScrapeAcceptedDto {
  @ApiProperty({ format: 'uuid' })
  task_id!: string;

  @ApiProperty({ example: '12345' })
  os_number!: string;

  @ApiProperty({ enum: ['processing', 'completed', 'failed'] })
  status!: TaskStatus;

  @ApiProperty({ enum: TASK_STATES })
  state!: TaskState;

  @ApiProperty({
    description: 'True when the API scraped inline because the queue was unavailable.',
  })
  inline!: boolean;

  @ApiPropertyOptional({ example: 'Fila indisponível: OS processada diretamente pela API.' })
  message?: string;

  @ApiPropertyOptional({ type: TaskResultDto })
  result?: TaskResultDto;
}
