import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  HealthCheckService,
  TypeOrmHealthIndicator,
  type HealthCheckResult,
} from '@nestjs/terminus';
import { HealthDto, LivenessDto } from './dto/health.dto.js';
import { Public } from '../auth/decorators/public.decorator.js';
import { ErrorDto } from '../common/dto/error.dto.js';
import { BrowserPoolHealthIndicator } from './browser-pool.health.js';
import { RedisHealthIndicator } from './redis.health.js';
import { TargetLoginHealthIndicator } from './target-login.health.js';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly browserPool: BrowserPoolHealthIndicator,
    private readonly targetLogin: TargetLoginHealthIndicator,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'Readiness: PostgreSQL and Redis answer; the browser pool of this process, for information',
  })
  @ApiOkResponse({
    type: HealthDto,
    description:
      '`status: "degraded"` with a `reason` while the target refuses the credentials (`details.target_login`).',
  })
  @ApiServiceUnavailableResponse({
    type: ErrorDto,
    description: 'Names what is down, with `status` and `details`.',
  })
  async check(): Promise<HealthDto> {
    try {
      const result = await this.health.check([
        () => this.database.pingCheck('database').withTimeout(1_500),
        () => this.redis.check(),
        () => this.browserPool.check(),
        () => this.targetLogin.check(),
      ]);
      const login = result.details.target_login as Record<string, unknown> | undefined;
      if (login?.credentials_refused !== true) return result;
      return {
        ...result,
        status: 'degraded',
        reason: `credentials refused by the target: ${String(login.reason)}; no login until TARGET_PASSWORD changes or ${String(login.until)}`,
      };
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const result = error.getResponse() as HealthCheckResult;
      const down = Object.keys(result.error ?? {});
      throw new ServiceUnavailableException({
        message: `${down.join(' and ')} ${down.length === 1 ? 'is' : 'are'} down`,
        // With PostgreSQL up the API still serves what is stored: degraded, not dead.
        status: down.includes('database') ? 'error' : 'degraded',
        details: result.details,
      });
    }
  }

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiOkResponse({ type: LivenessDto })
  live(): LivenessDto {
    return { status: 'ok' };
  }
}
