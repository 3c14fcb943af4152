import { Injectable, Logger } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { ALERT_RULES } from '../admin/alerts/alert-rule.js';
import { AlertsService } from '../admin/alerts/alerts.service.js';
import { QueueStatusService, type QueueCounts } from '../admin/queue-status.service.js';
import { withTimeout } from '../common/with-timeout.js';
import { MAINTENANCE_TASKS } from '../queues/job-payloads.js';
import { ALL_QUEUES } from '../queues/queue-names.js';
import { BrowserPool } from '../scraping/browser/browser-pool.service.js';
import { PathChooser } from '../scraping/paths/path-chooser.service.js';
import { SessionPool } from '../scraping/session/session-pool.service.js';
import { METRIC_PREFIX, MetricsRegistry } from '../common/metrics-registry.js';

/** A source that does not answer within this is reported down rather than holding the scrape. */
const SOURCE_TIMEOUT_MS = 3_000;
const QUEUE_STATES: ReadonlyArray<keyof QueueCounts> = [
  'waiting',
  'active',
  'delayed',
  'throttled',
  'completed',
  'failed',
  'paused',
];
const SESSION_EVENTS = ['logins', 'relogins', 'expiries', 'retired', 'login_failures'] as const;
type Source = 'queues' | 'alerts' | 'maintenance';

interface MaintenanceFigures {
  task: string;
  status: string | null;
  runs_24h: number;
  last_started_at: Date | null;
  last_status: string | null;
  last_duration_ms: number | null;
}

/**
 * The gauges read at scrape time: queue depths, open alerts and maintenance runs (shared by the
 * whole deployment, so every process reports the same values), and this process's browser pool
 * and target sessions. Plus prom-client's default process metrics.
 */
@Injectable()
export class ServiceMetricsCollector {
  private readonly logger = new Logger(ServiceMetricsCollector.name);
  private readonly sourceUp: Gauge<'source'>;
  private readonly queueJobs: Gauge<'queue' | 'state'>;
  private readonly alertsOpen: Gauge<'rule' | 'severity'>;
  private readonly maintenanceRuns: Gauge<'task' | 'status'>;
  private readonly maintenanceLastRun: Gauge<'task' | 'status'>;
  private readonly maintenanceLastDuration: Gauge<'task'>;
  private readonly browserUp: Gauge;
  private readonly browserContexts: Gauge<'state'>;
  private readonly browserMaxContexts: Gauge;
  private readonly browserScrapes: Gauge<'state'>;
  private readonly browserEvents: Counter<'event'>;
  private readonly browserContextRecycles: Counter<'reason'>;
  private readonly sessionsLeased: Gauge;
  private readonly sessionEvents: Counter<'event'>;
  private readonly pathBrowserFirst: Gauge<'source' | 'reason'>;
  private readonly pathReads: Gauge<'event'>;

  constructor(
    registry: MetricsRegistry,
    private readonly queues: QueueStatusService,
    private readonly alerts: AlertsService,
    private readonly browsers: BrowserPool,
    private readonly sessions: SessionPool,
    private readonly dataSource: DataSource,
    private readonly paths: PathChooser,
  ) {
    collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });
    const registers = [registry];
    this.sourceUp = new Gauge({
      name: `${METRIC_PREFIX}metrics_source_up`,
      help: 'Whether a source of these metrics answered this scrape (1) or not (0): queues, alerts, maintenance.',
      labelNames: ['source'],
      registers,
    });
    this.queueJobs = new Gauge({
      name: `${METRIC_PREFIX}queue_jobs`,
      help: 'Jobs per queue and state (throttled: delayed jobs held back by the per-user limiter).',
      labelNames: ['queue', 'state'],
      registers,
    });
    this.alertsOpen = new Gauge({
      name: `${METRIC_PREFIX}alerts_open`,
      help: 'Open alerts by rule and severity.',
      labelNames: ['rule', 'severity'],
      registers,
    });
    this.maintenanceRuns = new Gauge({
      name: `${METRIC_PREFIX}maintenance_runs_24h`,
      help: 'Maintenance runs started in the last 24 hours, by task and status.',
      labelNames: ['task', 'status'],
      registers,
    });
    this.maintenanceLastRun = new Gauge({
      name: `${METRIC_PREFIX}maintenance_last_run_timestamp_seconds`,
      help: 'Start of the latest run of each maintenance task, labelled with how it ended.',
      labelNames: ['task', 'status'],
      registers,
    });
    this.maintenanceLastDuration = new Gauge({
      name: `${METRIC_PREFIX}maintenance_last_run_duration_seconds`,
      help: 'Duration of the latest run of each maintenance task.',
      labelNames: ['task'],
      registers,
    });
    this.browserUp = new Gauge({
      name: `${METRIC_PREFIX}browser_up`,
      help: "Whether this process's Chromium is running (it starts on the first browser scrape).",
      registers,
    });
    this.browserContexts = new Gauge({
      name: `${METRIC_PREFIX}browser_contexts`,
      help: "This process's pooled browser contexts, busy or free.",
      labelNames: ['state'],
      registers,
    });
    this.browserMaxContexts = new Gauge({
      name: `${METRIC_PREFIX}browser_contexts_max`,
      help: 'Most browser contexts this process opens at once.',
      registers,
    });
    this.browserScrapes = new Gauge({
      name: `${METRIC_PREFIX}browser_scrapes`,
      help: 'Browser scrapes: let in at once (limit; SCRAPER_MAX_CONTEXTS=auto tunes it), running (admitted) and waiting for a place.',
      labelNames: ['state'],
      registers,
    });
    this.browserEvents = new Counter({
      name: `${METRIC_PREFIX}browser_events_total`,
      help: "This process's browser pool since it started: pages opened, launches, restarts, crashes.",
      labelNames: ['event'],
      registers,
    });
    this.browserContextRecycles = new Counter({
      name: `${METRIC_PREFIX}browser_context_recycles_total`,
      help: "This process's pooled browser contexts closed at release since it started, by reason: uses (SCRAPER_CONTEXT_MAX_USES), heap (SCRAPER_CONTEXT_MAX_HEAP_MB), broken (the page misbehaved).",
      labelNames: ['reason'],
      registers,
    });
    this.sessionsLeased = new Gauge({
      name: `${METRIC_PREFIX}target_sessions_leased`,
      help: 'Target sessions this process holds right now.',
      registers,
    });
    this.sessionEvents = new Counter({
      name: `${METRIC_PREFIX}target_session_events_total`,
      help: "This process's target session events since it started.",
      labelNames: ['event'],
      registers,
    });
    this.pathBrowserFirst = new Gauge({
      name: `${METRIC_PREFIX}scrape_path_browser_first`,
      help: 'Whether the target is read browser-first (1) or HTTP-first (0), with where that came from and why.',
      labelNames: ['source', 'reason'],
      registers,
    });
    this.pathReads = new Gauge({
      name: `${METRIC_PREFIX}scrape_path_reads`,
      help: 'Across all workers: HTTP reads that missed an OS a browser then read, and OS read by a browser.',
      labelNames: ['event'],
      registers,
    });
  }

  private refreshing?: Promise<void>;

  /**
   * Brings every gauge up to date; a source that fails is reported down, the others still are.
   * Scrapes arriving together share one refresh, so they never interleave resets and sets.
   */
  refresh(): Promise<void> {
    this.refreshing ??= this.refreshAll().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async refreshAll(): Promise<void> {
    this.refreshPools();
    await Promise.all([
      this.fromSource('queues', () => this.refreshQueues()),
      this.fromSource('alerts', () => this.refreshAlerts()),
      this.fromSource('maintenance', () => this.refreshMaintenance()),
    ]);
  }

  private async fromSource(source: Source, refresh: () => Promise<void>): Promise<void> {
    try {
      await withTimeout(refresh(), SOURCE_TIMEOUT_MS, `${source} did not answer`);
      this.sourceUp.set({ source }, 1);
    } catch (error) {
      this.sourceUp.set({ source }, 0);
      this.logger.debug(`metrics source ${source} is down: ${(error as Error).message}`);
    }
  }

  private async refreshQueues(): Promise<void> {
    const counts = await Promise.all(ALL_QUEUES.map((name) => this.queues.counts(name)));
    this.queueJobs.reset();
    if (counts.some((queue) => queue === null)) throw new Error('Redis is not reachable');
    ALL_QUEUES.forEach((queue, index) => {
      for (const state of QUEUE_STATES) this.queueJobs.set({ queue, state }, counts[index]![state]);
    });
    const choice = await this.paths.choice();
    this.pathBrowserFirst.reset();
    this.pathBrowserFirst.set(
      { source: choice.source, reason: choice.reason },
      choice.mode === 'browser_first' ? 1 : 0,
    );
    this.pathReads.set({ event: 'http_attempts_wasted' }, choice.http_attempts_wasted);
    this.pathReads.set({ event: 'browser_reads' }, choice.browser_reads);
  }

  private async refreshAlerts(): Promise<void> {
    const open = await this.alerts.open();
    this.alertsOpen.reset();
    for (const rule of ALERT_RULES) {
      for (const severity of ['warning', 'critical']) this.alertsOpen.set({ rule, severity }, 0);
    }
    for (const alert of open) this.alertsOpen.inc({ rule: alert.rule, severity: alert.severity });
  }

  /**
   * Per task, an index range read of its last day and its latest run (ix_maintenance_runs_task_started),
   * so the cost stays flat however long the run history grows.
   */
  private async refreshMaintenance(): Promise<void> {
    const rows: MaintenanceFigures[] = await this.dataSource.query(
      `SELECT t.task, day.status, coalesce(day.runs, 0)::int AS runs_24h,
              last.started_at AS last_started_at, last.status AS last_status,
              last.duration_ms AS last_duration_ms
         FROM unnest($1::text[]) AS t(task)
         LEFT JOIN LATERAL (
           SELECT status, count(*) AS runs FROM maintenance_runs
            WHERE task = t.task AND started_at > now() - interval '24 hours'
            GROUP BY status
         ) day ON true
         LEFT JOIN LATERAL (
           SELECT status, started_at, duration_ms FROM maintenance_runs
            WHERE task = t.task ORDER BY started_at DESC LIMIT 1
         ) last ON true`,
      [MAINTENANCE_TASKS],
    );
    this.maintenanceRuns.reset();
    this.maintenanceLastRun.reset();
    this.maintenanceLastDuration.reset();
    for (const task of MAINTENANCE_TASKS) {
      for (const status of ['success', 'failed']) this.maintenanceRuns.set({ task, status }, 0);
    }
    for (const row of rows) {
      if (row.status)
        this.maintenanceRuns.set({ task: row.task, status: row.status }, row.runs_24h);
      if (row.last_started_at && row.last_status) {
        const at = new Date(row.last_started_at).getTime() / 1000;
        this.maintenanceLastRun.set({ task: row.task, status: row.last_status }, at);
        this.maintenanceLastDuration.set({ task: row.task }, (row.last_duration_ms ?? 0) / 1000);
      }
    }
  }

  private refreshPools(): void {
    const pool = this.browsers.stats();
    this.browserUp.set(pool.browser_up ? 1 : 0);
    this.browserContexts.set({ state: 'busy' }, pool.contexts_busy);
    this.browserContexts.set({ state: 'free' }, pool.contexts_free);
    this.browserMaxContexts.set(pool.max_contexts);
    this.browserScrapes.set({ state: 'limit' }, pool.scrapes_limit);
    this.browserScrapes.set({ state: 'admitted' }, pool.scrapes_admitted);
    this.browserScrapes.set({ state: 'waiting' }, pool.scrapes_waiting);
    setCounter(this.browserEvents, { event: 'pages' }, pool.pages);
    setCounter(this.browserEvents, { event: 'launches' }, pool.launches);
    setCounter(this.browserEvents, { event: 'restarts' }, pool.restarts);
    setCounter(this.browserEvents, { event: 'crashes' }, pool.crashes);
    for (const [reason, total] of Object.entries(pool.context_recycles))
      setCounter(this.browserContextRecycles, { reason }, total);
    const sessions = this.sessions.stats();
    this.sessionsLeased.set(sessions.leased);
    for (const event of SESSION_EVENTS) setCounter(this.sessionEvents, { event }, sessions[event]);
  }
}

/** Mirrors a total the pool keeps itself (it only grows while the process lives). */
function setCounter<T extends string>(
  counter: Counter<T>,
  labels: Partial<Record<T, string>>,
  total: number,
): void {
  counter.remove(labels);
  counter.inc(labels, total);
}
