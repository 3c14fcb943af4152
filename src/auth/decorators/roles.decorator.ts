import { SetMetadata } from '@nestjs/common';
import type { UserRole } from '../user-role.js';

export const ROLES = 'auth:roles';

/** Restricts a route (or controller) to the given roles. */
export const Roles = (...roles: UserRole[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ROLES, roles);
