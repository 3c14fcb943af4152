import { ApiProperty } from '@nestjs/swagger';
import { CircuitBreakerDto } from './queue-status.dto.js';

export class CredentialsRefusalClearedDto {
  @ApiProperty({ description: 'Whether a refusal stood and was lifted (false: there was none).' })
  cleared!: boolean;

  @ApiProperty({ type: CircuitBreakerDto, description: 'The circuit breaker after the change.' })
  circuit_breaker!: CircuitBreakerDto;
}
