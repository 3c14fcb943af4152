import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';

let ephemeral: string | undefined;

/**
 * The JWT signing secret. Production requires `JWT_SECRET` (config validation enforces it);
 * elsewhere a random per-process secret is used when it is unset.
 */
export function resolveJwtSecret(config: AppConfig): string {
  if (config.JWT_SECRET) return config.JWT_SECRET;
  if (!ephemeral) {
    ephemeral = randomBytes(48).toString('base64url');
    new Logger('Auth').warn(
      'JWT_SECRET is not set: using a random secret; tokens end with this process',
    );
  }
  return ephemeral;
}
