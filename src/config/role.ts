import type { Role } from './app-config.js';

export type RolePart = 'api' | 'worker' | 'scheduler';

/** Whether a process started as `role` runs `part` (`all` runs every part). */
export function roleIncludes(role: Role, part: RolePart): boolean {
  return role === 'all' || role === part;
}
