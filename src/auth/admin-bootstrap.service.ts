import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ConflictException } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { UsersService } from './users.service.js';

/** Creates the first admin from `ADMIN_USERNAME`/`ADMIN_PASSWORD` when no admin exists. */
@Injectable()
export class AdminBootstrapService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AdminBootstrapService.name);

  constructor(
    private readonly users: UsersService,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { ADMIN_USERNAME: username, ADMIN_PASSWORD: password } = this.config;
    if (await this.users.hasAdmin()) return;
    if (!username || !password) {
      this.logger.warn(
        'No admin exists: set ADMIN_USERNAME and ADMIN_PASSWORD to create the first one',
      );
      return;
    }
    try {
      await this.users.create(username.toLowerCase(), password, 'admin');
      this.logger.log(`Created the first admin "${username.toLowerCase()}"`);
    } catch (error) {
      // Another process created it first, or the name belongs to a non-admin user.
      if (!(error instanceof ConflictException)) throw error;
      this.logger.warn(`Could not create the first admin: ${error.message}`);
    }
  }
}
