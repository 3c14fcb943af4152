import { Module } from '@nestjs/common';
import { AdminModule } from './admin.module.js';
import { MaintenanceProcessor } from './maintenance/maintenance.processor.js';

/** Consumes the `maintenance` queue (`worker` role). */
@Module({ imports: [AdminModule], providers: [MaintenanceProcessor] })
export class AdminWorkerModule {}
