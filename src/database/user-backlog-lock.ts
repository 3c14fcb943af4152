import type { EntityManager } from 'typeorm';

/** Which backlog a lock guards: one lock space per kind of work. */
export const BacklogLock = {
  SingleOs: 0x524f5301,
  Batch: 0x524f5302,
} as const;

/**
 * Takes a transaction-scoped advisory lock on one user's backlog of one kind, so that counting
 * the backlog and inserting into it cannot interleave between requests: parallel submissions
 * are admitted one after another, and exactly up to the cap. PostgreSQL releases the lock at
 * commit or rollback, and when a crashed process's connection drops, so nothing can stay held.
 */
export async function lockUserBacklog(
  manager: EntityManager,
  kind: (typeof BacklogLock)[keyof typeof BacklogLock],
  userId: string,
): Promise<void> {
  await manager.query('SELECT pg_advisory_xact_lock($1::int, hashtext($2))', [kind, userId]);
}
