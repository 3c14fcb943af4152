import { ApiProperty } from '@nestjs/swagger';
import { TASK_STATES, type TaskState, type TaskStatus } from '../../scraping/task-status.js';

export class BatchAcceptedDto {
  @ApiProperty({ format: 'uuid' })
  task_id!: string;

  @ApiProperty({
    enum: ['processing', 'completed', 'failed', 'cancelled'],
    example: 'processing',
    description:
      '`processing` for a new batch; a repeated Idempotency-Key answers the batch as it now is.',
  })
  status!: TaskStatus;

  @ApiProperty({ enum: TASK_STATES, example: 'queued' })
  state!: TaskState;

  @ApiProperty({ example: 100, description: 'OS in the batch, after merging duplicates.' })
  total!: number;

  @ApiProperty({ example: 'Lote_Producao_2024' })
  batch_name!: string;

  @ApiProperty({ example: 'Na fila: 100 OS aguardando processamento' })
  message!: string;
}
