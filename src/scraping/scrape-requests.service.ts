import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type EntityManager, type Repository } from 'typeorm';
import { BacklogLock, lockUserBacklog } from '../database/user-backlog-lock.js';
import { ScrapeRequest } from './entities/scrape-request.entity.js';
import type { ScrapeResult } from './scrape-result.js';
import { OPEN_STATES } from './task-status.js';

/** The rows of single-OS requests: created before enqueueing, finished exactly once. */
@Injectable()
export class ScrapeRequestsService {
  constructor(
    @InjectRepository(ScrapeRequest) private readonly requests: Repository<ScrapeRequest>,
  ) {}

  /**
   * A queued request, admitted by `admit` (which sees the user's open requests, counted under a
   * per-user lock held until commit, and throws to refuse it).
   */
  createWithinCap(
    userId: string,
    osNumber: string,
    admit: (openRequests: number) => void,
  ): Promise<ScrapeRequest> {
    return this.requests.manager.transaction(async (manager) => {
      await lockUserBacklog(manager, BacklogLock.SingleOs, userId);
      admit(await manager.countBy(ScrapeRequest, { userId, state: In([...OPEN_STATES]) }));
      return manager.save(manager.create(ScrapeRequest, { userId, osNumber, state: 'queued' }));
    });
  }

  create(userId: string, osNumber: string, inline = false): Promise<ScrapeRequest> {
    return this.requests.save(
      this.requests.create({
        userId,
        osNumber,
        inline,
        state: inline ? 'running' : 'queued',
        startedAt: inline ? new Date() : null,
      }),
    );
  }

  /** Removes a request that could not be queued: it was never accepted. */
  async discard(id: string): Promise<void> {
    await this.requests.delete({ id, state: 'queued' });
  }

  find(id: string): Promise<ScrapeRequest | null> {
    return this.requests.findOneBy({ id });
  }

  /** Marks a request running; false when it is already finished (a re-delivered job). */
  async start(id: string): Promise<boolean> {
    const result = await this.requests
      .createQueryBuilder()
      .update()
      .set({ state: 'running', startedAt: () => 'COALESCE(started_at, now())' })
      .where('id = :id AND state IN (:...open)', { id, open: OPEN_STATES })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** Records the outcome inside the writer's transaction, only if the request is still open. */
  async claimOutcome(manager: EntityManager, id: string, result: ScrapeResult): Promise<boolean> {
    const update = await manager
      .createQueryBuilder()
      .update(ScrapeRequest)
      .set({
        state: result.outcome === 'failed' ? 'failed' : 'completed',
        outcome: result.outcome,
        path: result.path,
        attempts: result.attempts,
        durationMs: result.durationMs,
        errorCode: result.errorCode ?? null,
        errorMessage: result.errorMessage ?? null,
        finishedAt: () => 'now()',
      })
      .where('id = :id AND state IN (:...open)', { id, open: OPEN_STATES })
      .execute();
    return (update.affected ?? 0) > 0;
  }

  /** A user's requests still waiting or running (their backlog). */
  countOpen(userId: string): Promise<number> {
    return this.requests.countBy({ userId, state: In([...OPEN_STATES]) });
  }

  /** Open requests created before `before`: candidates for recovery when their job is gone. */
  findOpen(before: Date, limit = 500): Promise<ScrapeRequest[]> {
    return this.requests
      .createQueryBuilder('r')
      .where('r.state IN (:...open)', { open: OPEN_STATES })
      .andWhere('r.inline = false')
      .andWhere('r.created_at < :before', { before })
      .orderBy('r.created_at', 'ASC')
      .limit(limit)
      .getMany();
  }

  /** Requests being read for longer than `seconds` (for the slow-OS alert). */
  async runningLongerThan(seconds: number): Promise<Array<{ os_number: string; seconds: number }>> {
    const rows = await this.requests
      .createQueryBuilder('r')
      .select('r.os_number', 'os_number')
      .addSelect('extract(epoch FROM now() - r.started_at)::float8', 'seconds')
      .where("r.state = 'running'")
      .andWhere("r.started_at < now() - CAST(:seconds AS int) * interval '1 second'", { seconds })
      .orderBy('r.started_at')
      .limit(20)
      .getRawMany<{ os_number: string; seconds: number }>();
    return rows.map((row) => ({ os_number: row.os_number, seconds: Number(row.seconds) }));
  }
}
