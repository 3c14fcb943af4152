import { randomUUID } from 'node:crypto';
import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Queue } from 'bull';
import type { Repository } from 'typeorm';
import { enqueue } from '../../queues/enqueue.js';
import type { MaintenanceJobData, MaintenanceTask } from '../../queues/job-payloads.js';
import { QueueName } from '../../queues/queue-names.js';
import { MaintenanceRun } from '../entities/maintenance-run.entity.js';
import { MaintenanceTasksService } from './maintenance-tasks.service.js';
import { scheduleSlot } from './maintenance-schedule.js';

/** Queues maintenance tasks (one job per schedule slot), runs them and records every run. */
@Injectable()
export class MaintenanceService {
  private readonly logger = new Logger(MaintenanceService.name);

  constructor(
    @InjectQueue(QueueName.Maintenance) private readonly queue: Queue<MaintenanceJobData>,
    @InjectRepository(MaintenanceRun) private readonly runs: Repository<MaintenanceRun>,
    private readonly tasks: MaintenanceTasksService,
  ) {}

  /** Queues the scheduled run of `task` for the slot of `at`; schedulers racing for it add one job. */
  async enqueueScheduled(task: MaintenanceTask, at = new Date()): Promise<string> {
    const period = scheduleSlot(task, at);
    const jobId = `${task}:${period}`;
    await enqueue(this.queue, { task, period }, { jobId });
    return jobId;
  }

  /** Queues a run now, asked for by an admin. */
  async enqueueNow(task: MaintenanceTask, requestedBy: string): Promise<string> {
    const jobId = `${task}:manual:${randomUUID()}`;
    await enqueue(this.queue, { task, period: 'manual', requestedBy }, { jobId });
    return jobId;
  }

  /** Runs a task and records the run; a failure is recorded and re-thrown (Bull retries it). */
  async run(task: MaintenanceTask, jobId: string, triggeredBy: string): Promise<MaintenanceRun> {
    const startedAt = new Date();
    const started = performance.now();
    let result: Record<string, unknown> | null = null;
    let failure: Error | null = null;
    try {
      result = await this.tasks.execute(task);
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
    }
    const run = await this.runs.save(
      this.runs.create({
        task,
        jobId,
        triggeredBy,
        status: failure ? 'failed' : 'success',
        result,
        error: failure?.message ?? null,
        startedAt,
        finishedAt: new Date(),
        durationMs: Math.round(performance.now() - started),
      }),
    );
    if (failure) {
      this.logger.error(`Maintenance ${task} failed: ${failure.message}`);
      throw failure;
    }
    return run;
  }

  async list(
    task: MaintenanceTask | undefined,
    page: number,
    pageSize: number,
  ): Promise<[MaintenanceRun[], number]> {
    return this.runs.findAndCount({
      where: task ? { task } : {},
      order: { startedAt: 'DESC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
  }

  /** The latest run of each task. */
  async latest(): Promise<MaintenanceRun[]> {
    return this.runs
      .createQueryBuilder('r')
      .distinctOn(['r.task'])
      .orderBy('r.task')
      .addOrderBy('r.started_at', 'DESC')
      .getMany();
  }
}
