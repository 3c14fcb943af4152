import { Module } from '@nestjs/common';
import { AuthApiModule } from '../auth/auth-api.module.js';
import { AdminPageController } from './admin-page.controller.js';
import { AdminSessionController } from './admin-session.controller.js';
import { QueueBoardModule } from './queue-board/queue-board.module.js';

/** The admin page at `/admin`, its login cookie and the queue board at `/admin/queues` (`api` role). */
@Module({
  imports: [AuthApiModule, QueueBoardModule],
  controllers: [AdminPageController, AdminSessionController],
})
export class AdminPageModule {}
