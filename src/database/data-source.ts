import 'reflect-metadata';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/load-config.js';
import { buildDataSourceOptions } from './data-source-options.js';

/** The DataSource the TypeORM CLI loads (`npm run migration:*`), built from the same options. */
export default new DataSource({
  ...buildDataSourceOptions(loadConfig()),
  entities: [join(import.meta.dirname, '..', '**', '*.entity.js')],
});
