import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { SCRAPE_PATHS, type ScrapePath } from '../../stats/scrape-outcome.js';
import { TASK_STATES, type TaskState } from '../../scraping/task-status.js';

const RESULT_OUTCOMES = [
  'pending',
  'success',
  'not_found',
  'forbidden',
  'failed',
  'cancelled',
] as const;
export type BatchResultOutcome = (typeof RESULT_OUTCOMES)[number];

/** One OS of a batch in its results. */
export class BatchResultItemDto {
  @ApiProperty({ example: '12345' })
  os_number!: string;

  @ApiProperty({ enum: RESULT_OUTCOMES, description: '`pending` while not finished.' })
  outcome!: BatchResultOutcome;

  @ApiProperty({ enum: SCRAPE_PATHS, nullable: true })
  path!: ScrapePath | null;

  @ApiProperty({ type: 'integer' })
  attempts!: number;

  @ApiProperty({ type: 'integer', nullable: true })
  duration_ms!: number | null;

  @ApiProperty({ type: String, nullable: true, example: 'target_outage: the target is down' })
  error!: string | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'The fields and tables of the target profile, for an OS read with success.',
  })
  data!: Record<string, unknown> | null;
}

/** `GET …/scraping-batch/{task_id}/results` as JSON. */
export class BatchResultsDto {
  @ApiProperty({ format: 'uuid' })
  task_id!: string;

  @ApiProperty()
  batch_name!: string;

  @ApiProperty({ enum: TASK_STATES })
  state!: TaskState;

  @ApiProperty({ type: [BatchResultItemDto] })
  items!: BatchResultItemDto[];
}

/** The results' answer: `BatchResultsDto` as JSON, or CSV (`format=csv`). */
export function ApiBatchResultsResponse(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(BatchResultsDto),
    ApiOkResponse({
      description: 'JSON, or with `format=csv` CSV (UTF-8 with BOM, `;`, one line per OS).',
      content: {
        'application/json': { schema: { $ref: getSchemaPath(BatchResultsDto) } },
        'text/csv': {
          schema: {
            type: 'string',
            description:
              'Header `os_number;outcome;path;attempts;duration_ms;error` then one column per profile field and table (tables as JSON).',
          },
        },
      },
    }),
  );
}
