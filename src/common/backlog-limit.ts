import { HttpException, HttpStatus } from '@nestjs/common';

/**
 * Refuses more work past a user's backlog cap, with 429 and how long to wait: work over the
 * hourly rate normally waits in the queue; only a backlog this large is turned away.
 */
export function assertBacklogBelowCap(
  backlog: number,
  cap: number,
  perHour: number,
  what: string,
): void {
  if (backlog < cap) return;
  const retryAfter = Math.ceil(3600 / perHour);
  throw new HttpException(
    {
      message: `you already have ${backlog} ${what} waiting (limit ${cap}); try again in ${retryAfter} s`,
      retry_after: retryAfter,
    },
    HttpStatus.TOO_MANY_REQUESTS,
  );
}
