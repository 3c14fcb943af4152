import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

/** `:id` path parameters: a UUID, so nothing else ever reaches a query. */
export class IdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('4', { message: 'id must be a UUID' })
  id!: string;
}

/** `:task_id` path parameters of scraping tasks and batches. */
export class TaskIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('4', { message: 'task_id must be a UUID' })
  task_id!: string;
}
