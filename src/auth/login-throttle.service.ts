import { HttpException, HttpStatus, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { RedisService } from '../redis/redis.service.js';

/**
 * KEYS: counters. ARGV[1]: window (s); ARGV[2..]: the limit of each key.
 * Takes one attempt on every counter at once, or none: 0 when taken, else the seconds until the
 * fullest counter ends. One script, so requests sent at the same moment cannot all pass a check
 * that none of them has recorded yet.
 */
const RESERVE = `
local wait = 0
for i, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') >= tonumber(ARGV[i + 1]) then
    wait = math.max(wait, redis.call('TTL', key), 1)
  end
end
if wait > 0 then return wait end
for _, key in ipairs(KEYS) do
  redis.call('INCR', key)
  redis.call('EXPIRE', key, ARGV[1], 'NX')
end
return 0`;

/** KEYS: counters to give one attempt back to (never below zero, never kept without expiry). */
const RELEASE = `
for _, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') > 0 then redis.call('DECR', key) end
end
return 0`;

/** One reserved login attempt: it counts as a failure unless it is given back. */
export interface LoginAttempt {
  /** The password was right: the attempt is given back. */
  succeeded(): Promise<void>;
  /** The password was never checked (e.g. no capacity to hash it): the attempt is given back. */
  cancel(): Promise<void>;
}

/**
 * Login attempts per username and address, per address (password spraying) and per username
 * (from many addresses), counted in Redis so the limits hold across API processes. Each attempt
 * is reserved before the password is checked; past any limit the login answers 429 until its
 * window ends.
 */
@Injectable()
export class LoginThrottleService {
  private readonly logger = new Logger(LoginThrottleService.name);

  constructor(
    private readonly redis: RedisService,
    private readonly config: AppConfig,
  ) {}

  /** Reserves an attempt, or throws 429 naming how long to wait. */
  async reserve(username: string, ip: string): Promise<LoginAttempt> {
    const name = username.trim().toLowerCase();
    const keys = [
      this.redis.key('login-failures', name, ip),
      this.redis.key('login-failures-address', ip),
      this.redis.key('login-failures-user', name),
    ];
    const limits = [
      this.config.LOGIN_MAX_FAILURES,
      this.config.LOGIN_MAX_FAILURES_PER_ADDRESS,
      this.config.LOGIN_MAX_FAILURES_PER_USERNAME,
    ];
    const wait = await this.guard(() =>
      this.redis.client.eval(RESERVE, {
        keys,
        arguments: [String(this.config.LOGIN_FAILURE_WINDOW_SECONDS), ...limits.map(String)],
      }),
    );
    if (typeof wait === 'number' && wait > 0) throw tooMany(wait);
    const reserved = wait === 0;
    const release = async () => {
      if (!reserved) return;
      await this.guard(() => this.redis.client.eval(RELEASE, { keys }));
    };
    // A right password gives its own attempt back; failures before it still count until their
    // window ends, so a burst holding the right password among wrong ones admits no more.
    return { succeeded: release, cancel: release };
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

function tooMany(retryAfter: number): HttpException {
  return new HttpException(
    {
      statusCode: HttpStatus.TOO_MANY_REQUESTS,
      error: 'Too Many Requests',
      message: `too many failed logins; try again in ${retryAfter} s`,
      retry_after: retryAfter,
    },
    HttpStatus.TOO_MANY_REQUESTS,
  );
}
