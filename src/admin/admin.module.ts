import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module.js';
import { BatchModule } from '../batch/batch.module.js';
import { ScrapingModule } from '../scraping/scraping.module.js';
import { StatsModule } from '../stats/stats.module.js';
import { AdminStatsService } from './admin-stats.service.js';
import { AlertConditionsService } from './alerts/alert-conditions.service.js';
import { AlertNotifier } from './alerts/alert-notifier.service.js';
import { AlertsService } from './alerts/alerts.service.js';
import { Alert } from './entities/alert.entity.js';
import { MaintenanceRun } from './entities/maintenance-run.entity.js';
import { MaintenanceTasksService } from './maintenance/maintenance-tasks.service.js';
import { MaintenanceService } from './maintenance/maintenance.service.js';
import { OpenOsRefresher } from './maintenance/open-os-refresher.service.js';
import { QueueStatusService } from './queue-status.service.js';

/** Admin figures, alerts, maintenance and the live queue status (for every role). */
@Module({
  imports: [
    TypeOrmModule.forFeature([Alert, MaintenanceRun]),
    AuthModule,
    StatsModule,
    ScrapingModule,
    BatchModule,
  ],
  providers: [
    QueueStatusService,
    AdminStatsService,
    AlertConditionsService,
    AlertNotifier,
    AlertsService,
    MaintenanceTasksService,
    MaintenanceService,
    OpenOsRefresher,
  ],
  exports: [QueueStatusService, AdminStatsService, AlertsService, MaintenanceService],
})
export class AdminModule {}
