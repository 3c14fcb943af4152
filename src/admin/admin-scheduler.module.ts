import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AdminModule } from './admin.module.js';
import { MaintenanceScheduler } from './maintenance/maintenance.scheduler.js';

/** The maintenance crons (`scheduler` role): they only enqueue. */
@Module({ imports: [ScheduleModule.forRoot(), AdminModule], providers: [MaintenanceScheduler] })
export class AdminSchedulerModule {}
