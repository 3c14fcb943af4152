import { Global, Module } from '@nestjs/common';
import { ProcessHeartbeat } from './process-heartbeat.service.js';
import { RedisCache } from './redis-cache.service.js';
import { RedisService } from './redis.service.js';

/** One shared Redis connection for every module's own Redis work. */
@Global()
@Module({
  providers: [RedisService, ProcessHeartbeat, RedisCache],
  exports: [RedisService, ProcessHeartbeat, RedisCache],
})
export class RedisModule {}
