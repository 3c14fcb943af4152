import { randomUUID } from 'node:crypto';
import { HttpException, HttpStatus, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { RedisService } from '../redis/redis.service.js';

/** How long a slot lives without being renewed: a process that died frees its slots by then. */
export const STREAM_SLOT_TTL_MS = 60_000;

/**
 * KEYS[1] the user's slots (zset: slot → expiry ms). ARGV: cap, slot, ttl ms.
 * Drops expired slots, then takes one if fewer than the cap are held: 1, else 0.
 */
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
return 1`;

/** KEYS[1] the user's slots. ARGV: slot, ttl ms. Extends a slot still held. */
const RENEW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
end
return 0`;

/** A held stream slot. */
export interface StreamSlot {
  renew(): Promise<void>;
  release(): Promise<void>;
}

/**
 * The open event streams of each user, counted in Redis across API processes: past
 * `SSE_MAX_STREAMS_PER_USER` a new stream is refused with 429. Slots expire unless renewed, so a
 * crashed process cannot leave a user locked out.
 */
@Injectable()
export class StreamSlotsService {
  private readonly logger = new Logger(StreamSlotsService.name);

  constructor(
    private readonly redis: RedisService,
    private readonly config: AppConfig,
  ) {}

  /** Takes a slot, or throws 429 naming the cap. */
  async take(userId: string): Promise<StreamSlot> {
    const key = this.redis.key('stream-slots', userId);
    const slot = randomUUID();
    const cap = this.config.SSE_MAX_STREAMS_PER_USER;
    let taken: unknown;
    try {
      taken = await this.redis.client.eval(TAKE, {
        keys: [key],
        arguments: [String(cap), slot, String(STREAM_SLOT_TTL_MS)],
      });
    } catch (error) {
      // Streams need Redis for their events anyway; the cap is not what should refuse them.
      this.logger.warn(`stream slots unavailable: ${(error as Error).message}`);
      taken = 1;
    }
    if (taken !== 1) {
      throw new HttpException(
        {
          message: `you already have ${cap} event streams open (limit ${cap}); close one or poll scraping-batch-status instead`,
          retry_after: 15,
        },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    const quietly = (work: Promise<unknown>) =>
      work.then(
        () => undefined,
        () => undefined,
      );
    return {
      renew: () =>
        quietly(
          this.redis.client.eval(RENEW, {
            keys: [key],
            arguments: [slot, String(STREAM_SLOT_TTL_MS)],
          }),
        ),
      release: () => quietly(this.redis.client.zRem(key, slot)),
    };
  }
}
