import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
  ValidateIf,
} from 'class-validator';
import { trustProxySetting } from '../common/trust-proxy.js';
import { resolveChromium } from '../scraping/browser/chromium-path.js';
import { ToBoolean, ToList, ToNumber, ToContextCount } from './env-transforms.js';

export const NODE_ENVS = ['development', 'production', 'test'] as const;
export const ROLES = ['api', 'worker', 'scheduler', 'all'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export type NodeEnv = (typeof NODE_ENVS)[number];
export type Role = (typeof ROLES)[number];
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Every environment variable the service reads, with its default and rule.
 * `.env.example` documents each one; `loadConfig` validates them at boot and the `ConfigModule`
 * provides the result. The rule nearest a property runs first and the first failure is reported,
 * so the type check sits last.
 */
export class AppConfig {
  // --- process ---
  @IsIn(NODE_ENVS)
  NODE_ENV: NodeEnv = 'development';

  @IsIn(ROLES)
  ROLE: Role = 'all';

  @ToNumber()
  @Min(0)
  @Max(65535)
  @IsInt()
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevel = 'info';

  @ToNumber()
  @Min(0)
  @Max(600_000)
  @IsInt()
  SHUTDOWN_GRACE_MS = 30_000;

  // --- HTTP ---
  @Matches(/^\d+(b|kb|mb)$/i, { message: '$property must be a size such as 100kb or 1mb' })
  BODY_LIMIT = '2mb';

  @ToList()
  @IsString({ each: true })
  CORS_ORIGINS: string[] = [];

  @ToBoolean()
  @IsBoolean()
  SWAGGER_ENABLED = true;

  /**
   * Which proxies in front of the service are believed about the client address and scheme
   * (`X-Forwarded-For`, `X-Forwarded-Proto`): `false` (none), a hop count, or a comma list of
   * addresses / CIDRs (or Express's `loopback`, `linklocal`, `uniquelocal`).
   */
  @ValidateBy({
    name: 'trustProxy',
    validator: {
      validate: (value: unknown) => {
        try {
          trustProxySetting(String(value));
          return true;
        } catch {
          return false;
        }
      },
      defaultMessage: () =>
        '$property must be false, a hop count or a comma list of addresses/CIDRs',
    },
  })
  @IsString()
  TRUST_PROXY = 'false';

  // --- PostgreSQL ---
  @Matches(/^postgres(ql)?:\/\/.+/, { message: '$property must be a postgres:// URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/registro_os';

  @ToNumber()
  @Min(1)
  @Max(200)
  @IsInt()
  DATABASE_POOL_SIZE = 10;

  @ToBoolean()
  @IsBoolean()
  DATABASE_AUTO_CREATE = true;

  // --- Redis ---
  @Matches(/^rediss?:\/\/.+/, { message: '$property must be a redis:// or rediss:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379/0';

  @Matches(/^[A-Za-z0-9_.:-]{1,64}$/, {
    message: '$property must be 1-64 letters, digits or _ . : -',
  })
  REDIS_PREFIX = 'ros';

  // --- auth ---
  @ValidateIf((env: AppConfig) => env.NODE_ENV === 'production' || env.JWT_SECRET !== undefined)
  @MinLength(32, { message: '$property must be at least 32 characters long' })
  @IsString({ message: '$property is required when NODE_ENV=production' })
  JWT_SECRET?: string;

  @ToNumber()
  @Min(60)
  @Max(30 * 24 * 3600)
  @IsInt()
  JWT_EXPIRES_IN_SECONDS = 3600;

  @IsOptional()
  @Matches(/^[a-zA-Z0-9_.@-]{3,64}$/, {
    message: '$property must be 3-64 letters, digits or _ . @ -',
  })
  ADMIN_USERNAME?: string;

  @ValidateIf((env: AppConfig) => env.ADMIN_USERNAME !== undefined)
  @MinLength(8, { message: '$property must be at least 8 characters long' })
  @MaxLength(128)
  @IsString({ message: '$property is required when ADMIN_USERNAME is set' })
  ADMIN_PASSWORD?: string;

  @ToNumber()
  @Min(1)
  @Max(1000)
  @IsInt()
  LOGIN_MAX_FAILURES = 5;

  @ToNumber()
  @Min(1)
  @Max(86_400)
  @IsInt()
  LOGIN_FAILURE_WINDOW_SECONDS = 900;

  /** Failed (or in-flight) logins from one client address, whatever the username. */
  @ToNumber()
  @Min(1)
  @Max(100_000)
  @IsInt()
  LOGIN_MAX_FAILURES_PER_ADDRESS = 20;

  /** Failed (or in-flight) logins for one username, from every address together. */
  @ToNumber()
  @Min(1)
  @Max(100_000)
  @IsInt()
  LOGIN_MAX_FAILURES_PER_USERNAME = 50;

  /** Password checks (Argon2) at once in one API process; 0 = no ceiling. Past it: 503. */
  @ToNumber()
  @Min(0)
  @Max(1_000)
  @IsInt()
  LOGIN_MAX_CONCURRENT_HASHES = 0;

  /** The admin page's session ends after this long without use (s). */
  @ToNumber()
  @Min(60)
  @Max(7 * 24 * 3600)
  @IsInt()
  ADMIN_SESSION_IDLE_SECONDS = 1800;

  /** ...and after this long in any case (s). */
  @ToNumber()
  @Min(60)
  @Max(30 * 24 * 3600)
  @IsInt()
  ADMIN_SESSION_MAX_SECONDS = 8 * 3600;

  // --- queues ---
  @ToNumber()
  @Min(1)
  @Max(64)
  @IsInt()
  QUEUE_SCRAPING_CONCURRENCY = 3;

  @ToNumber()
  @Min(1)
  @Max(64)
  @IsInt()
  QUEUE_BATCH_CONCURRENCY = 2;

  @ToNumber()
  @Min(1)
  @Max(16)
  @IsInt()
  QUEUE_MAINTENANCE_CONCURRENCY = 1;

  /** How long a worker holds a job without renewing before it counts as stalled (crashed). */
  @ToNumber()
  @Min(1_000)
  @Max(600_000)
  @IsInt()
  QUEUE_LOCK_DURATION_MS = 30_000;

  // --- per-user throttles (work over the rate waits in the queue as "throttled") ---
  @ToNumber()
  @Min(1)
  @Max(1_000_000)
  @IsInt()
  RATE_LIMIT_OS_PER_HOUR = 10;

  @ToNumber()
  @Min(1)
  @Max(1_000_000)
  @IsInt()
  RATE_LIMIT_BATCHES_PER_HOUR = 2;
  // --- target ERP ---
  @IsString()
  TARGET_PROFILE = 'profiles/erp-simulator.json';

  @IsOptional()
  @Matches(/^https?:\/\/[^\s]+$/, { message: '$property must be an http(s) URL' })
  TARGET_BASE_URL?: string;

  @IsOptional()
  @MaxLength(256)
  @IsString()
  TARGET_USERNAME?: string;

  @IsOptional()
  @MaxLength(256)
  @IsString()
  TARGET_PASSWORD?: string;

  @ToNumber()
  @Min(1)
  @Max(100)
  @IsInt()
  TARGET_MAX_SESSIONS = 5;

  @ToNumber()
  @Min(1)
  @Max(1000)
  @IsInt()
  TARGET_MAX_CONCURRENCY = 5;

  @ToNumber()
  @Min(0)
  @Max(100_000)
  @IsInt()
  TARGET_MAX_RPS = 20;

  @ToNumber()
  @Min(1_000)
  @Max(24 * 3_600_000)
  @IsInt()
  SESSION_MAX_AGE_MS = 30 * 60_000;

  @ToNumber()
  @Min(1)
  @Max(1_000_000)
  @IsInt()
  SESSION_MAX_USES = 1_000;

  @ToNumber()
  @Min(1)
  @Max(1_000)
  @IsInt()
  CIRCUIT_FAILURE_THRESHOLD = 5;

  @ToNumber()
  @Min(100)
  @Max(600_000)
  @IsInt()
  CIRCUIT_COOLDOWN_MS = 5_000;

  @ToNumber()
  @Min(1_000)
  @Max(24 * 3_600_000)
  @IsInt()
  TARGET_OUTAGE_MAX_WAIT_MS = 30 * 60_000;

  @ToNumber()
  @Min(1)
  @Max(100)
  @IsInt()
  TARGET_MAX_FAILED_LOGINS = 2;

  @ToNumber()
  @Min(1_000)
  @Max(7 * 24 * 3_600_000)
  @IsInt()
  TARGET_FAILED_LOGIN_WINDOW_MS = 15 * 60_000;

  @ToNumber()
  @Min(1_000)
  @Max(30 * 24 * 3_600_000)
  @IsInt()
  TARGET_LOGIN_REFUSED_COOLDOWN_MS = 6 * 3_600_000;

  // --- scraper ---
  @ToNumber()
  @Min(1)
  @Max(10_000)
  @IsInt()
  PATH_BROWSER_FIRST_AFTER = 3;

  @ToNumber()
  @Min(1)
  @Max(1_000_000)
  @IsInt()
  PATH_HTTP_REPROBE_EVERY = 200;

  @ToNumber()
  @Min(1_000)
  @Max(7 * 24 * 3_600_000)
  @IsInt()
  PATH_HTTP_REPROBE_MS = 30 * 60_000;

  /** Unset: Playwright's installed Chromium, else the system's (`resolveChromium`). */
  @IsString()
  CHROMIUM_PATH: string = resolveChromium(undefined).path;

  /**
   * Not read from the environment: set by `loadConfig` when `SCRAPER_MAX_CONTEXTS` is `auto`,
   * where the pool tunes how many browser scrapes run at once (`ContextTuner`).
   */
  contextsTuned = false;

  /** A number, or `auto`: the ceiling of the range `autoContextRange` gives this machine. */
  @ToContextCount()
  @Min(1)
  @Max(64)
  @IsInt({ message: '$property must be an integer number or auto' })
  SCRAPER_MAX_CONTEXTS = 5;

  @ToNumber()
  @Min(1)
  @Max(100_000)
  @IsInt()
  SCRAPER_CONTEXT_MAX_USES = 20;

  /**
   * A pooled context whose page's heap (JS heap, DOM and array buffers, from
   * `Runtime.getHeapUsage` at each release) is above this many MB, after a garbage collection
   * forced when the first reading is over, is closed then, like one past
   * `SCRAPER_CONTEXT_MAX_USES`, and a fresh one is made on the next lease. 0: no memory bound.
   */
  @ToNumber()
  @Min(0)
  @Max(16_384)
  @IsInt()
  SCRAPER_CONTEXT_MAX_HEAP_MB = 64;

  @ToNumber()
  @Min(1)
  @Max(1_000_000)
  @IsInt()
  SCRAPER_BROWSER_MAX_PAGES = 500;

  @ToNumber()
  @Min(1_000)
  @Max(300_000)
  @IsInt()
  SCRAPER_HTTP_TIMEOUT_MS = 15_000;

  @ToNumber()
  @Min(1_000)
  @Max(300_000)
  @IsInt()
  SCRAPER_PAGE_TIMEOUT_MS = 15_000;

  @ToNumber()
  @Min(1_000)
  @Max(600_000)
  @IsInt()
  SCRAPER_ROBUST_TIMEOUT_MS = 30_000;

  @ToNumber()
  @Min(1_000)
  @Max(600_000)
  @IsInt()
  SCRAPER_LAUNCH_TIMEOUT_MS = 60_000;

  @ToNumber()
  @Min(1)
  @Max(20)
  @IsInt()
  SCRAPER_MAX_ATTEMPTS = 4;

  @ToNumber()
  @Min(0)
  @Max(60_000)
  @IsInt()
  SCRAPER_RETRY_BASE_MS = 300;

  @ToBoolean()
  @IsBoolean()
  SCRAPER_INLINE_FALLBACK = false;

  @ToNumber()
  @Min(1)
  @Max(100_000)
  @IsInt()
  SCRAPE_BACKLOG_CAP = 50;

  // --- batches ---
  @ToNumber()
  @Min(1)
  @Max(10_000)
  @IsInt()
  BATCH_MAX_SIZE = 100;

  @ToNumber()
  @Min(1)
  @Max(100)
  @IsInt()
  BATCH_GROUP_SIZE = 5;

  @ToNumber()
  @Min(1)
  @Max(10_000)
  @IsInt()
  BATCH_BACKLOG_CAP = 10;

  /** Server-Sent Event streams one user may hold open at once; past it: 429. */
  @ToNumber()
  @Min(1)
  @Max(10_000)
  @IsInt()
  SSE_MAX_STREAMS_PER_USER = 10;

  /** How long an event-stream ticket (`POST …/events-ticket`) may wait before it is used. */
  @ToNumber()
  @Min(1)
  @Max(300)
  @IsInt()
  EVENTS_TICKET_TTL_SECONDS = 30;

  /** How long a batch's events stay replayable for a client resuming with `Last-Event-ID`. */
  @ToNumber()
  @Min(60)
  @Max(7 * 86_400)
  @IsInt()
  BATCH_EVENTS_RETENTION_SECONDS = 3_600;

  // --- webhooks ---
  /** Lets webhooks reach private, loopback and link-local addresses (tests, demo, one-host setups). */
  @ToBoolean()
  @IsBoolean()
  WEBHOOK_ALLOW_PRIVATE_ADDRESSES = false;

  @ToNumber()
  @Min(1)
  @Max(30)
  @IsInt()
  WEBHOOK_MAX_ATTEMPTS = 8;

  /** First retry delay; each next one doubles (Bull's exponential backoff). */
  @ToNumber()
  @Min(10)
  @Max(3_600_000)
  @IsInt()
  WEBHOOK_BACKOFF_MS = 10_000;

  @ToNumber()
  @Min(100)
  @Max(60_000)
  @IsInt()
  WEBHOOK_TIMEOUT_MS = 10_000;

  // --- statistics and maintenance ---
  /** Days and hours of the statistics are those of this time zone. */
  @Matches(/^[A-Za-z_]+(\/[A-Za-z_+-]+)*$/, {
    message: '$property must be an IANA time zone such as America/Sao_Paulo',
  })
  STATS_TIMEZONE = 'America/Sao_Paulo';

  @ToNumber()
  @Min(31)
  @Max(3_650)
  @IsInt()
  USAGE_RAW_RETENTION_DAYS = 400;

  @ToNumber()
  @Min(1)
  @Max(365)
  @IsInt()
  JOBS_RETENTION_DAYS = 7;

  /** How long figures read from raw rows (times, top OS) are reused; maintenance refreshes them. */
  @ToNumber()
  @Min(0)
  @Max(3_600)
  @IsInt()
  STATS_CACHE_SECONDS = 90;

  /** Open OS (profile `freshness`) queued for a re-read per `refresh-open-os` run; 0 turns it off. */
  @ToNumber()
  @Min(0)
  @Max(10_000)
  @IsInt()
  FRESHNESS_MAX_OS_PER_RUN = 200;

  // --- alerts ---
  @ToNumber()
  @Min(1)
  @Max(100)
  @IsInt()
  ALERT_ERROR_RATE_PERCENT = 20;

  @ToNumber()
  @Min(1)
  @Max(1_440)
  @IsInt()
  ALERT_ERROR_RATE_WINDOW_MINUTES = 15;

  @ToNumber()
  @Min(1)
  @Max(100_000)
  @IsInt()
  ALERT_ERROR_RATE_MIN_SAMPLE = 20;

  @ToNumber()
  @Min(1)
  @Max(86_400)
  @IsInt()
  ALERT_SLOW_OS_SECONDS = 300;

  @ToNumber()
  @Min(1)
  @Max(1_000_000)
  @IsInt()
  ALERT_QUEUE_BACKLOG = 50;

  @ToNumber()
  @Min(64)
  @Max(1_048_576)
  @IsInt()
  ALERT_WORKER_MEMORY_MB = 2_048;

  @IsOptional()
  @Matches(/^https?:\/\/[^\s]+$/, { message: '$property must be an http(s) URL' })
  ALERT_WEBHOOK_URL?: string;

  // --- metrics ---
  @IsOptional()
  @MinLength(16, { message: '$property must be at least 16 characters long' })
  @IsString()
  METRICS_TOKEN?: string;

  // --- failure snapshots and layout drift ---
  /** Largest HTML kept from the page of a failed OS (bytes; longer pages are cut; 0: no snapshots). */
  @ToNumber()
  @Min(0)
  @Max(20_000_000)
  @IsInt()
  SNAPSHOT_MAX_HTML_BYTES = 1_000_000;

  /** A screenshot larger than this (bytes) is not kept. */
  @ToNumber()
  @Min(0)
  @Max(20_000_000)
  @IsInt()
  SNAPSHOT_MAX_SCREENSHOT_BYTES = 2_000_000;

  /** Maintenance deletes snapshots older than this (days). */
  @ToNumber()
  @Min(1)
  @Max(365)
  @IsInt()
  SNAPSHOT_RETENTION_DAYS = 14;

  /** The layout-drift alert looks at the fields of the last this many OS read. */
  @ToNumber()
  @Min(5)
  @Max(10_000)
  @IsInt()
  ALERT_LAYOUT_DRIFT_WINDOW = 50;
}
