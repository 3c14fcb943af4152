import { createHash } from 'node:crypto';
import type { TargetProfile } from '../profile/target-profile.js';

/**
 * The target this deployment reads: its profile (with `TARGET_BASE_URL` already applied), the
 * credentials from the environment, and a short id that names its keys in Redis.
 */
export class TargetDefinition {
  readonly id: string;
  readonly origin: string;

  constructor(
    readonly profile: TargetProfile,
    readonly username: string | undefined,
    readonly password: string | undefined,
  ) {
    this.origin = new URL(profile.base_url).origin;
    this.id = createHash('sha256')
      .update(`${profile.base_url}|${username ?? ''}`)
      .digest('hex')
      .slice(0, 12);
  }

  get baseUrl(): string {
    return this.profile.base_url;
  }

  get hasCredentials(): boolean {
    return Boolean(this.username && this.password);
  }
}
