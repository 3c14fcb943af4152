import type { Provider } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { loadProfile } from '../profile/profile-loader.js';
import { TargetDefinition } from './target-definition.js';

/**
 * Loads and validates the target profile at boot; a bad profile stops the process with one line
 * per problem (`ProfileValidationError`).
 */
export const targetDefinitionProvider: Provider = {
  provide: TargetDefinition,
  inject: [AppConfig],
  useFactory: (config: AppConfig) =>
    new TargetDefinition(
      loadProfile(
        config.TARGET_PROFILE,
        config.TARGET_BASE_URL ? { base_url: config.TARGET_BASE_URL } : {},
      ),
      config.TARGET_USERNAME,
      config.TARGET_PASSWORD,
    ),
};
