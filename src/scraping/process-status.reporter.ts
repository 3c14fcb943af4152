import { Injectable, type OnModuleInit } from '@nestjs/common';
import { processMemory } from '../common/process-memory.js';
import { AppConfig } from '../config/app-config.js';
import { ProcessHeartbeat } from '../redis/process-heartbeat.service.js';
import { BrowserPool } from './browser/browser-pool.service.js';
import { SessionPool } from './session/session-pool.service.js';

/** Publishes this process's role, memory (Node plus Chromium), browser pool and sessions with each heartbeat. */
@Injectable()
export class ProcessStatusReporter implements OnModuleInit {
  constructor(
    private readonly heartbeat: ProcessHeartbeat,
    private readonly config: AppConfig,
    private readonly browsers: BrowserPool,
    private readonly sessions: SessionPool,
  ) {}

  onModuleInit(): void {
    this.heartbeat.report('role', () => this.config.ROLE);
    this.heartbeat.report('memory', () => processMemory());
    this.heartbeat.report('browser_pool', () => this.browsers.stats());
    this.heartbeat.report('sessions', () => this.sessions.stats());
  }
}
