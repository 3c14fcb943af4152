import { Module } from '@nestjs/common';
import { AdminStatsController } from './admin-stats.controller.js';
import { AdminModule } from './admin.module.js';
import { ScrapingModule } from '../scraping/scraping.module.js';
import { MaintenanceController } from './maintenance/maintenance.controller.js';
import { QueueStatusController } from './queue-status.controller.js';
import { SnapshotsController } from './snapshots.controller.js';
import { TargetLoginController } from './target-login.controller.js';

/** The admin endpoints and the queue status (`api` role). */
@Module({
  imports: [AdminModule, ScrapingModule],
  controllers: [
    AdminStatsController,
    MaintenanceController,
    QueueStatusController,
    SnapshotsController,
    TargetLoginController,
  ],
})
export class AdminApiModule {}
