import { Global, Module } from '@nestjs/common';
import { RedisService } from './redis.service.js';

/** One shared Redis connection for every module's own Redis work. */
@Global()
@Module({ providers: [RedisService], exports: [RedisService] })
export class RedisModule {}
