import { Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { buildDataSourceOptions } from './data-source-options.js';
import { ensureDatabase } from './ensure-database.js';
import { runMigrationsLocked } from './run-migrations.js';

const logger = new Logger('Database');

/**
 * PostgreSQL through TypeORM: creates the database when allowed and missing, then applies
 * pending migrations before any module uses it.
 */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: async (config: AppConfig) => {
        if (
          config.DATABASE_AUTO_CREATE &&
          (await ensureDatabase(config.DATABASE_URL)) === 'created'
        ) {
          logger.log('Database created');
        }
        return {
          ...buildDataSourceOptions(config),
          autoLoadEntities: true,
          retryAttempts: 3,
          retryDelay: 2_000,
        };
      },
      dataSourceFactory: async (options?: DataSourceOptions) => {
        if (!options) throw new Error('TypeORM options are missing');
        const dataSource = await new DataSource(options).initialize();
        const applied = await runMigrationsLocked(dataSource);
        if (applied.length > 0)
          logger.log(`Applied migrations: ${applied.map((m) => m.name).join(', ')}`);
        return dataSource;
      },
    }),
  ],
})
export class DatabaseModule {}
