import { HttpException, HttpStatus, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { RedisService } from '../redis/redis.service.js';

/**
 * Counts failed logins per username and client address in Redis, so the limit holds across
 * API processes. Past the limit, logins for that pair answer 429 until the window ends.
 */
@Injectable()
export class LoginThrottleService {
  private readonly logger = new Logger(LoginThrottleService.name);

  constructor(
    private readonly redis: RedisService,
    private readonly config: AppConfig,
  ) {}

  async assertAllowed(username: string, ip: string): Promise<void> {
    const key = this.key(username, ip);
    const [count, ttl] = (await this.guard(() =>
      Promise.all([this.redis.client.get(key), this.redis.client.ttl(key)]),
    )) ?? [null, -1];
    if (Number(count ?? 0) >= this.config.LOGIN_MAX_FAILURES) {
      const retryAfter = Math.max(1, ttl);
      throw new HttpException(
        {
          statusCode: HttpStatus.TOO_MANY_REQUESTS,
          error: 'Too Many Requests',
          message: `too many failed logins; try again in ${retryAfter} s`,
          retry_after: retryAfter,
        },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
  }

  async recordFailure(username: string, ip: string): Promise<void> {
    const key = this.key(username, ip);
    await this.guard(async () => {
      await this.redis.client
        .multi()
        .incr(key)
        .expire(key, this.config.LOGIN_FAILURE_WINDOW_SECONDS, 'NX')
        .exec();
    });
  }

  async reset(username: string, ip: string): Promise<void> {
    await this.guard(() => this.redis.client.del(this.key(username, ip)));
  }

  private key(username: string, ip: string): string {
    return this.redis.key('login-failures', username.trim().toLowerCase(), ip);
  }

  /** Without Redis logins still work (unthrottled) rather than locking everyone out. */
  private async guard<T>(work: () => Promise<T>): Promise<T | undefined> {
    try {
      return await work();
    } catch (error) {
      this.logger.warn(`login throttle unavailable: ${(error as Error).message}`);
      return undefined;
    }
  }
}
