import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import type { Configuration } from 'crawlee';

type Crawlee = typeof import('crawlee');

export interface CrawleeSetup {
  crawlee: Crawlee;
  config: Configuration;
  /** Temp dir for Crawlee's storage and browser profile; removed by `cleanup`. */
  dir: string;
  cleanup(): Promise<void>;
}

/** Options every crawler of this benchmark shares: fixed concurrency, no periodic noise. */
export function quietCrawlerOptions(concurrency: number) {
  return {
    minConcurrency: concurrency,
    maxConcurrency: concurrency,
    // The session cookie is ours; Crawlee's session pool would only rotate fingerprints.
    useSessionPool: false,
    statusMessageLoggingInterval: 3_600,
    statisticsOptions: { logIntervalSecs: 3_600, saveErrorSnapshots: false },
    // Concurrency is fixed, so the autoscaler's snapshots and log lines would be pure overhead.
    autoscaledPoolOptions: {
      loggingIntervalSecs: null,
      snapshotterOptions: { eventLoopSnapshotIntervalSecs: 60, clientSnapshotIntervalSecs: 60 },
    },
  };
}

/**
 * Crawlee with its storage in a temp dir and in memory only, no logs, and its system-info
 * sampling (which spawns `ps` each second by default) cut to the one sample taken at start.
 */
export async function setUpCrawlee(): Promise<CrawleeSetup> {
  const dir = await mkdtemp(join(os.tmpdir(), 'bench-crawlee-'));
  process.env.CRAWLEE_STORAGE_DIR = join(dir, 'storage');
  const crawlee = await import('crawlee');
  crawlee.log.setLevel(crawlee.log.LEVELS.OFF);
  const config = new crawlee.Configuration({
    persistStorage: false,
    purgeOnStart: true,
    systemInfoIntervalMillis: 3_600_000,
    persistStateIntervalMillis: 3_600_000,
  });
  return {
    crawlee,
    config,
    dir,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
