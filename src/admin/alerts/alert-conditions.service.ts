import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { ALL_QUEUES } from '../../queues/queue-names.js';
import { ProcessHeartbeat } from '../../redis/process-heartbeat.service.js';
import { TaskStore } from '../../scraping/task-store.service.js';
import { CircuitBreaker } from '../../scraping/target/circuit-breaker.service.js';
import { LayoutDrift } from '../../scraping/snapshots/layout-drift.service.js';
import { UsageQueriesService } from '../../stats/usage-queries.service.js';
import { QueueStatusService } from '../queue-status.service.js';
import type { AlertCondition } from './alert-rule.js';

/** Evaluates each rule against the live figures, with the thresholds from config. */
@Injectable()
export class AlertConditionsService {
  constructor(
    private readonly config: AppConfig,
    private readonly usage: UsageQueriesService,
    private readonly queues: QueueStatusService,
    private readonly heartbeat: ProcessHeartbeat,
    private readonly tasks: TaskStore,
    private readonly drift: LayoutDrift,
    private readonly breaker: CircuitBreaker,
  ) {}

  async current(): Promise<AlertCondition[]> {
    const groups = await Promise.all([
      this.errorRate(),
      this.slowOs(),
      this.queueBacklog(),
      this.workerMemory(),
      this.layoutDrift(),
      this.credentialsRefused(),
    ]);
    return groups.flat();
  }

  /**
   * A field empty in most of the last ALERT_LAYOUT_DRIFT_WINDOW OS that was filled before (the
   * target's page changed), or empty in all of them (a selector that never matches).
   */
  async layoutDrift(): Promise<AlertCondition[]> {
    return (await this.drift.findings()).map((finding) => {
      const share = round((finding.recentEmpty / finding.recentTotal) * 100);
      const before =
        finding.earlierFilled === null
          ? ''
          : `; antes preenchido em ${Math.round(finding.earlierFilled * 100)}%`;
      return {
        rule: 'layout_drift' as const,
        subject: `${finding.target}:${finding.field}`,
        severity: 'warning' as const,
        value: share,
        threshold: 50,
        message: `Layout do ERP ${finding.target} mudou? O campo ${finding.field} (${finding.how}) veio vazio em ${finding.recentEmpty} das últimas ${finding.recentTotal} OS${before}`,
      };
    });
  }

  /** More than ALERT_ERROR_RATE_PERCENT of the OS that ended recently failed (with a minimum sample). */
  async errorRate(): Promise<AlertCondition[]> {
    const minutes = this.config.ALERT_ERROR_RATE_WINDOW_MINUTES;
    const { total, failed } = await this.usage.recentErrorRate(minutes);
    if (total < this.config.ALERT_ERROR_RATE_MIN_SAMPLE) return [];
    const rate = (failed / total) * 100;
    const threshold = this.config.ALERT_ERROR_RATE_PERCENT;
    if (rate <= threshold) return [];
    return [
      {
        rule: 'error_rate',
        subject: 'global',
        severity: rate > 2 * threshold ? 'critical' : 'warning',
        value: round(rate),
        threshold,
        message: `Taxa de erro alta: ${round(rate)}% de ${total} OS falharam nos últimos ${minutes} min (limite ${threshold}%)`,
      },
    ];
  }

  /** An OS took (or has been running for) more than ALERT_SLOW_OS_SECONDS. */
  async slowOs(): Promise<AlertCondition[]> {
    const limitMs = this.config.ALERT_SLOW_OS_SECONDS * 1000;
    const finished = await this.usage.slowOutcomes(
      limitMs,
      this.config.ALERT_ERROR_RATE_WINDOW_MINUTES,
    );
    const running = await this.tasks.runningLongerThan(this.config.ALERT_SLOW_OS_SECONDS);
    const slow = [
      ...finished.map((row) => ({ os: row.os_number, seconds: row.duration_ms / 1000 })),
      ...running.map((row) => ({ os: row.os_number, seconds: Number(row.seconds) })),
    ].sort((a, b) => b.seconds - a.seconds);
    if (slow.length === 0) return [];
    const threshold = this.config.ALERT_SLOW_OS_SECONDS;
    return [
      {
        rule: 'slow_os',
        subject: 'global',
        severity: 'warning',
        value: round(slow[0]!.seconds),
        threshold,
        message: `Tempo de processamento elevado: OS ${slow
          .slice(0, 5)
          .map((entry) => `${entry.os} (${Math.round(entry.seconds)} s)`)
          .join(', ')} acima de ${threshold} s`,
      },
    ];
  }

  /** A queue holds more than ALERT_QUEUE_BACKLOG jobs waiting (waiting + delayed). */
  async queueBacklog(): Promise<AlertCondition[]> {
    const threshold = this.config.ALERT_QUEUE_BACKLOG;
    const conditions: AlertCondition[] = [];
    for (const name of ALL_QUEUES) {
      const counts = await this.queues.counts(name).catch(() => null);
      if (!counts) continue;
      const backlog = counts.waiting + counts.delayed;
      if (backlog > threshold) {
        conditions.push({
          rule: 'queue_backlog',
          subject: name,
          severity: backlog > 4 * threshold ? 'critical' : 'warning',
          value: backlog,
          threshold,
          message: `Fila ${name} com muitas tarefas pendentes: ${backlog} (limite ${threshold})`,
        });
      }
    }
    return conditions;
  }

  /** The target refused the credentials: no OS can be read until they change. */
  async credentialsRefused(): Promise<AlertCondition[]> {
    const refusal = await this.breaker.credentialsRefusal().catch(() => null);
    if (!refusal) return [];
    return [
      {
        rule: 'credentials_refused',
        subject: 'target',
        severity: 'critical',
        value: 1,
        threshold: 0,
        message: `O ERP recusou as credenciais (TARGET_USERNAME/TARGET_PASSWORD): ${refusal.reason}. Nenhum login será tentado até a senha mudar ou ${refusal.until}`,
      },
    ];
  }

  /** A worker process (Node plus its Chromium) uses more than ALERT_WORKER_MEMORY_MB. */
  async workerMemory(): Promise<AlertCondition[]> {
    const threshold = this.config.ALERT_WORKER_MEMORY_MB;
    const processes = await this.heartbeat.liveProcesses();
    const workers = processes.filter(
      (process) => process.role === 'worker' || process.role === 'all',
    );
    return workers.flatMap((worker) => {
      const memory = worker.memory as { total_mb?: number } | null | undefined;
      const total = memory?.total_mb ?? 0;
      if (total <= threshold) return [];
      return [
        {
          rule: 'worker_memory' as const,
          subject: String(worker.id),
          severity: total > 1.5 * threshold ? ('critical' as const) : ('warning' as const),
          value: round(total),
          threshold,
          message: `Uso excessivo de memória no worker ${String(worker.id)}: ${Math.round(total)} MB (Node + Chromium; limite ${threshold} MB)`,
        },
      ];
    });
  }
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
