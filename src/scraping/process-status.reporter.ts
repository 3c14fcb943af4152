import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { processMemory, type ProcessMemory } from '../common/process-memory.js';
import { AppConfig } from '../config/app-config.js';
import { ProcessHeartbeat } from '../redis/process-heartbeat.service.js';
import { BrowserPool } from './browser/browser-pool.service.js';
import { SessionPool } from './session/session-pool.service.js';

/** Memory is read less often than the heartbeat beats: it walks /proc and Chromium's page tables. */
const MEMORY_SAMPLE_MS = 10_000;

/** Publishes this process's role, memory (Node plus Chromium), browser pool and sessions with each heartbeat. */
@Injectable()
export class ProcessStatusReporter implements OnModuleInit, OnModuleDestroy {
  private memory: ProcessMemory | null = null;
  private sampling = false;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly heartbeat: ProcessHeartbeat,
    private readonly config: AppConfig,
    private readonly browsers: BrowserPool,
    private readonly sessions: SessionPool,
  ) {}

  onModuleInit(): void {
    this.heartbeat.report('role', () => this.config.ROLE);
    this.heartbeat.report('memory', () => this.memory);
    this.heartbeat.report('browser_pool', () => this.browsers.stats());
    this.heartbeat.report('sessions', () => this.sessions.stats());
    void this.sampleMemory();
    this.timer = setInterval(() => void this.sampleMemory(), MEMORY_SAMPLE_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  private async sampleMemory(): Promise<void> {
    if (this.sampling) return;
    this.sampling = true;
    try {
      this.memory = await processMemory();
    } catch {
      // keep the last sample
    } finally {
      this.sampling = false;
    }
  }
}
