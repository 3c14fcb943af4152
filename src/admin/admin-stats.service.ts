import { Injectable } from '@nestjs/common';
import { UsersService } from '../auth/users.service.js';
import { BatchStore } from '../batch/batch-store.service.js';
import { AppConfig } from '../config/app-config.js';
import { RedisCache } from '../redis/redis-cache.service.js';
import { SCRAPE_PATHS, type ScrapePath } from '../stats/scrape-outcome.js';
import type { StatsWindow } from '../stats/stats-window.js';
import {
  UsageQueriesService,
  type DurationFigures,
  type UserTotals,
} from '../stats/usage-queries.service.js';
import { AlertsService } from './alerts/alerts.service.js';
import { percent, round, seconds } from './figures.js';
import { QueueStatusService } from './queue-status.service.js';

/**
 * The admin figures: dashboard, users ranking and performance metrics, keys as in the original.
 * Every figure comes from roll-ups plus the raw rows after their watermarks, so counts are always
 * current; times (percentiles from duration histograms) and the top OS are also reused for
 * `STATS_CACHE_SECONDS` and refreshed every minute by maintenance.
 */
@Injectable()
export class AdminStatsService {
  constructor(
    private readonly usage: UsageQueriesService,
    private readonly users: UsersService,
    private readonly batches: BatchStore,
    private readonly queues: QueueStatusService,
    private readonly alerts: AlertsService,
    private readonly cache: RedisCache,
    private readonly config: AppConfig,
  ) {}

  async dashboard(days: number) {
    const window = await this.usage.window(days);
    const [totals, perDay, perHour, users, { topOs, durations }, filas, alertas] =
      await Promise.all([
        this.usage.totals(window),
        this.usage.perDay(window),
        this.usage.perHourOfDay(window),
        this.usage.perUser(window, 1_000),
        this.rawFigures(days),
        this.queues.status(),
        this.alerts.open(),
      ]);
    const names = await this.users.usernames(users.slice(0, 10).map((user) => user.user_id));
    return {
      dashboard_data: {
        periodo: period(window),
        estatisticas_gerais: {
          total: totals.total,
          sucessos: totals.success,
          falhas: totals.failed,
          nao_encontradas: totals.not_found,
          success_rate: percent(totals.success, totals.total),
          error_rate: percent(totals.failed, totals.total),
          avg_processing_time: seconds(totals.avg_duration_ms),
          retries: totals.retries,
          usuarios_ativos: users.length,
        },
        usuarios_mais_ativos: users
          .slice(0, 10)
          .map((user) => userFigures(user, names.get(user.user_id))),
        uso_por_dia: perDay.map((day) => ({
          data: day.day,
          total: day.total,
          sucessos: day.success,
          falhas: day.failed,
          nao_encontradas: day.not_found,
        })),
        uso_por_hora: perHour.map((hour) => ({
          hora: hour.hour,
          total: hour.total,
          sucessos: hour.success,
          falhas: hour.failed,
          nao_encontradas: hour.not_found,
        })),
        top_os: topOs.map((os) => ({
          os_number: os.os_number,
          consultas: os.requests,
          ultima_consulta: os.last_requested_at,
        })),
        performance: performanceFigures(durations),
        filas,
        alertas: alertas.map((alert) => ({
          id: alert.id,
          rule: alert.rule,
          subject: alert.subject,
          severity: alert.severity,
          message: alert.message,
          value: alert.value,
          threshold: alert.threshold,
          opened_at: alert.openedAt.toISOString(),
          updated_at: alert.updatedAt.toISOString(),
        })),
        gerado_em: new Date().toISOString(),
      },
    };
  }

  async ranking(days: number, limit: number) {
    const window = await this.usage.window(days);
    const users = await this.usage.perUser(window, limit);
    const ids = users.map((user) => user.user_id);
    const [names, batches] = await Promise.all([
      this.users.usernames(ids),
      this.batches.countPerUserSince(window.from, ids),
    ]);
    return {
      periodo: period(window),
      ranking: users.map((user, index) => ({
        posicao: index + 1,
        ...userFigures(user, names.get(user.user_id)),
        os_scraped: user.total,
        batches: batches.get(user.user_id) ?? 0,
      })),
    };
  }

  /** Times and top OS of the dashboard: computed at most once per cache period. */
  rawFigures(days: number, refresh = false) {
    const compute = async () => {
      const window = await this.usage.window(days);
      const [topOs, durations] = await Promise.all([
        this.usage.topOs(window, 10),
        this.usage.durations(window),
      ]);
      return { topOs, durations };
    };
    const key = `dashboard-raw:${days}`;
    const ttl = this.config.STATS_CACHE_SECONDS;
    return refresh ? this.cache.refresh(key, ttl, compute) : this.cache.get(key, ttl, compute);
  }

  performance(days: number, granularity: 'hour' | 'day', refresh = false) {
    const key = `performance:${days}:${granularity}`;
    const ttl = this.config.STATS_CACHE_SECONDS;
    const compute = () => this.computePerformance(days, granularity);
    return refresh ? this.cache.refresh(key, ttl, compute) : this.cache.get(key, ttl, compute);
  }

  private async computePerformance(days: number, granularity: 'hour' | 'day') {
    const window = await this.usage.window(days);
    const [summary, buckets] = await Promise.all([
      this.usage.durations(window),
      this.usage.buckets(window, granularity),
    ]);
    return {
      periodo: period(window),
      granularity,
      resumo: performanceFigures(summary),
      buckets: buckets.map((bucket) => ({
        inicio: bucket.bucket,
        count: bucket.count,
        success_rate: percent(bucket.success, bucket.count),
        avg_ms: round(bucket.avg_ms),
        p50_ms: round(bucket.p50_ms),
        p95_ms: round(bucket.p95_ms),
        caminhos: pathShares(bucket),
        retries: bucket.retries,
      })),
    };
  }
}

function period(window: StatsWindow) {
  return {
    days: window.days,
    inicio: window.fromDay,
    fim: window.toDay,
    timezone: window.timezone,
  };
}

function userFigures(user: UserTotals, username: string | undefined) {
  return {
    user_id: user.user_id,
    username: username ?? null,
    total: user.total,
    sucessos: user.success,
    falhas: user.failed,
    nao_encontradas: user.not_found,
    success_rate: percent(user.success, user.total),
    avg_processing_time: seconds(user.avg_duration_ms),
    last_activity: user.last_activity,
  };
}

function performanceFigures(figures: DurationFigures) {
  return {
    total: figures.count,
    avg_ms: round(figures.avg_ms),
    p50_ms: round(figures.p50_ms),
    p95_ms: round(figures.p95_ms),
    avg_processing_time: seconds(figures.avg_ms),
    retries: figures.retries,
    caminhos: Object.fromEntries(
      SCRAPE_PATHS.map((path) => [
        path,
        { total: figures.paths[path], percentual: percent(figures.paths[path], figures.count) },
      ]),
    ) as Record<ScrapePath, { total: number; percentual: number }>,
  };
}

function pathShares(figures: DurationFigures): Record<ScrapePath, number> {
  return Object.fromEntries(
    SCRAPE_PATHS.map((path) => [path, percent(figures.paths[path], figures.count)]),
  ) as Record<ScrapePath, number>;
}
