import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { TaskItemResultDto, TaskStatusDto } from '../../scraping/dto/task-status.dto.js';

/** The `data` of a `progress` event. */
export class BatchProgressEventDto {
  @ApiProperty({ format: 'uuid' }) task_id!: string;
  @ApiProperty({ example: 'running' }) state!: string;
  @ApiProperty({ type: 'integer' }) processed!: number;
  @ApiProperty({ type: 'integer' }) total!: number;
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 100 }) progress!: number;
  @ApiProperty({ example: 'Processando OS 12 de 100' }) message!: string;
}

/** The `data` of an `item` event: one OS as it finishes. */
export class BatchItemEventDto extends TaskItemResultDto {
  @ApiProperty({ format: 'uuid' }) task_id!: string;
}

/**
 * The event stream's answer. OpenAPI 3.0 cannot type each SSE message, so the stream is a string
 * whose events are named here and whose `data` (JSON) schemas are published as components.
 */
export function ApiBatchEventsResponse(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(BatchProgressEventDto, BatchItemEventDto, TaskStatusDto),
    ApiOkResponse({
      description:
        `Server-Sent Events, each with a JSON \`data\`: \`progress\` (${getSchemaPath(BatchProgressEventDto)}; a snapshot first), ` +
        `\`item\` per OS as it finishes (${getSchemaPath(BatchItemEventDto)}), \`ping\` every 15 s (\`{at}\`), ` +
        `then \`final\` with the full status (${getSchemaPath(TaskStatusDto)}), after which the stream ends.`,
      content: {
        'text/event-stream': {
          schema: { type: 'string', example: 'id: 1\nevent: progress\ndata: {"task_id":"…"}\n\n' },
        },
      },
    }),
  );
}
