import { ApiPropertyOptional } from '@nestjs/swagger';
import { ErrorDto } from '../../common/dto/error.dto.js';

/** 404 of `GET …/os/{os_number}`: never read, or read and not found on the ERP (and when). */
export class OsNotFoundDto extends ErrorDto {
  @ApiPropertyOptional({
    enum: ['not_found'],
    description: 'Present when the OS was read and the ERP had no such OS.',
  })
  outcome?: 'not_found';

  @ApiPropertyOptional({ format: 'date-time', description: 'When that read ended.' })
  checked_at?: string;
}
