import { Controller, Delete, HttpCode } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { CurrentUser } from '../auth/decorators/current-user.decorator.js';
import { Roles } from '../auth/decorators/roles.decorator.js';
import { ErrorDto } from '../common/dto/error.dto.js';
import { CircuitBreaker } from '../scraping/target/circuit-breaker.service.js';
import { CredentialsRefusalClearedDto } from './dto/credentials-refusal-cleared.dto.js';

/**
 * The admin's hand on the target's login: after the ERP refused the credentials, logins stay
 * stopped until they change or the cooldown passes; an admin who had the account unlocked on the
 * ERP's side (same password) lifts the stop here.
 */
@ApiTags('admin: scraping')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorDto })
@ApiForbiddenResponse({ type: ErrorDto, description: 'The caller is not an admin.' })
@Roles('admin')
@Controller('admin/scraping/target')
export class TargetLoginController {
  constructor(private readonly breaker: CircuitBreaker) {}

  @Delete('credentials-refusal')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Lift a credentials refusal (the ERP account was unlocked, password unchanged)',
    description:
      'Logins resume at once: the next one is tried, and if the target refuses again the refusal ' +
      'stands again after at most TARGET_MAX_FAILED_LOGINS attempts. Clear it only once the ' +
      "account works on the ERP's side: each clear allows that many more attempts.",
  })
  @ApiOkResponse({ type: CredentialsRefusalClearedDto })
  async clear(@CurrentUser() admin: AuthenticatedUser): Promise<CredentialsRefusalClearedDto> {
    const cleared = await this.breaker.clearCredentialsRefusal(admin.username);
    return { cleared, circuit_breaker: await this.breaker.state() };
  }
}
