import { Injectable, Logger } from '@nestjs/common';
import { withTimeout } from '../common/with-timeout.js';
import { RedisService } from '../redis/redis.service.js';

/** Every authenticated request asks: a Redis that hangs must not hang the API with it. */
const CHECK_TIMEOUT_MS = 1_000;

/**
 * Access tokens revoked before their expiry (logout), by `jti`, kept in Redis only until the
 * token would have expired anyway.
 */
@Injectable()
export class TokenRevocationService {
  private readonly logger = new Logger(TokenRevocationService.name);

  constructor(private readonly redis: RedisService) {}

  /** Revokes a token until `exp` (seconds since the epoch). */
  async revoke(jti: string, exp: number): Promise<void> {
    const seconds = Math.ceil(exp - Date.now() / 1000);
    if (seconds <= 0) return;
    await this.redis.client.set(this.key(jti), '1', { expiration: { type: 'EX', value: seconds } });
  }

  /**
   * Whether a token was revoked. Without Redis (or when it does not answer within 1 s) this
   * answers false and warns: the API keeps serving bearer tokens, which still end at their `exp`.
   */
  async isRevoked(jti: string): Promise<boolean> {
    try {
      const found = await withTimeout(
        this.redis.client.exists(this.key(jti)),
        CHECK_TIMEOUT_MS,
        'Redis did not answer',
      );
      return found === 1;
    } catch (error) {
      this.logger.warn(`token revocation list unavailable: ${(error as Error).message}`);
      return false;
    }
  }

  private key(jti: string): string {
    return this.redis.key('revoked-token', jti);
  }
}
