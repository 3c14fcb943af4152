import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Every error answer has this shape. */
export class ErrorDto {
  @ApiProperty({ example: 400 })
  statusCode!: number;

  @ApiProperty({ example: 'Bad Request' })
  error!: string;

  @ApiProperty({ example: 'os_numbers must contain at least 1 elements' })
  message!: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'Each validation problem, when there are several.',
    example: ['os_numbers must contain at least 1 elements'],
  })
  details?: string[];

  @ApiPropertyOptional({ example: 120, description: 'Seconds to wait (429 and 503 answers).' })
  retry_after?: number;
}
