import { BullModule } from '@nestjs/bull';
import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { ALL_QUEUES } from './queue-names.js';
import { queueOptions } from './queue-options.js';

/**
 * Registers the Redis connection for Bull and the three queues, once, for every module.
 * Processors live in the worker-side modules; registering a queue never consumes from it.
 */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        url: config.REDIS_URL,
        prefix: `${config.REDIS_PREFIX}:bull`,
      }),
    }),
    BullModule.registerQueueAsync(
      ...ALL_QUEUES.map((name) => ({
        name,
        inject: [AppConfig],
        useFactory: (config: AppConfig) => queueOptions(name, config),
      })),
    ),
  ],
  exports: [BullModule],
})
export class QueuesModule {}
