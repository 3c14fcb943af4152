import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { MAINTENANCE_TASKS, type MaintenanceTask } from '../../queues/job-payloads.js';
import { MAINTENANCE_SCHEDULE } from './maintenance-schedule.js';
import { MaintenanceService } from './maintenance.service.js';

/**
 * The `scheduler` role: crons that only enqueue maintenance jobs, with one job id per slot, so
 * schedulers running in several places never run a task twice.
 */
@Injectable()
export class MaintenanceScheduler implements OnModuleInit {
  private readonly logger = new Logger(MaintenanceScheduler.name);

  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly maintenance: MaintenanceService,
  ) {}

  onModuleInit(): void {
    for (const task of MAINTENANCE_TASKS) {
      const job = CronJob.from({
        cronTime: MAINTENANCE_SCHEDULE[task].cron,
        onTick: () => void this.tick(task),
        start: true,
      });
      this.registry.addCronJob(`maintenance:${task}`, job);
    }
  }

  /** Enqueues the run of `task` for the slot of `at`. */
  async tick(task: MaintenanceTask, at = new Date()): Promise<string | null> {
    try {
      return await this.maintenance.enqueueScheduled(task, at);
    } catch (error) {
      this.logger.warn(`Could not enqueue ${task}: ${(error as Error).message}`);
      return null;
    }
  }
}
