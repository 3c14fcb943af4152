import { CreateUsers1764316800000 } from './1764316800000-CreateUsers.js';

/** Every migration, oldest first. A new migration file is added here too. */
export const migrations = [CreateUsers1764316800000];
