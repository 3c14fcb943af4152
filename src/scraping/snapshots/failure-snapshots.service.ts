import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, type Repository } from 'typeorm';
import { AppConfig } from '../../config/app-config.js';
import type { ScrapeContext, ScrapeResult } from '../scrape-result.js';
import { TargetDefinition } from '../target/target-definition.js';
import { withPageCapture } from './page-capture.js';
import { ScrapeSnapshot } from './scrape-snapshot.entity.js';
import { scrubSecrets } from './scrub-secrets.js';
import { snapshotDiagnostics } from './snapshot-diagnostics.js';

/** Where an admin reads a snapshot (`GET`, admins only). */
export function snapshotLink(id: string): string {
  return `/api/admin/scraping/snapshots/${id}`;
}

/**
 * Failure snapshots: when an OS ends `failed` (every path tried, or a required value missing on
 * each), the page its last path read is stored in PostgreSQL for the profile's author: the HTML
 * (password and session cookies scrubbed, cut at SNAPSHOT_MAX_HTML_BYTES) and, from a browser
 * path, a PNG. Storing a snapshot never changes the outcome: a failure to store is only logged.
 */
@Injectable()
export class FailureSnapshots {
  private readonly logger = new Logger(FailureSnapshots.name);

  constructor(
    private readonly config: AppConfig,
    @InjectRepository(ScrapeSnapshot) private readonly snapshots: Repository<ScrapeSnapshot>,
    private readonly target: TargetDefinition,
  ) {}

  /** Runs a scrape keeping the pages it reads, and stores the last one if the OS failed. */
  async around(
    context: Pick<ScrapeContext, 'userId' | 'batchId'>,
    scrape: () => Promise<ScrapeResult>,
  ): Promise<ScrapeResult> {
    if (this.config.SNAPSHOT_MAX_HTML_BYTES === 0) return scrape();
    const captured = await withPageCapture({}, scrape);
    const result = captured.value;
    if (result.outcome !== 'failed') return result;
    const page = (result.path && captured.pages.get(result.path)) || captured.last;
    if (!page) return result;
    try {
      const secrets = [this.config.TARGET_PASSWORD, ...captured.secrets];
      const html = Buffer.from(scrubSecrets(page.html, secrets), 'utf8');
      const cap = this.config.SNAPSHOT_MAX_HTML_BYTES;
      const screenshot =
        page.screenshot && page.screenshot.length <= this.config.SNAPSHOT_MAX_SCREENSHOT_BYTES
          ? page.screenshot
          : null;
      await this.snapshots.insert({
        osNumber: result.osNumber,
        userId: isUuid(context.userId) ? context.userId : null,
        batchId: context.batchId ?? null,
        attempts: result.attempts,
        path: page.path,
        url: page.url ? scrubSecrets(page.url, secrets) : null,
        httpStatus: page.status ?? null,
        errorCode: result.errorCode ?? null,
        errorMessage: result.errorMessage ?? null,
        html: html.length > cap ? html.subarray(0, cap) : html,
        htmlBytes: html.length,
        htmlTruncated: html.length > cap,
        screenshot,
        diagnostics: snapshotDiagnostics(page, this.target.profile),
      });
    } catch (error) {
      this.logger.warn(
        `Could not keep the page of OS ${result.osNumber}: ${(error as Error).message}`,
      );
    }
    return result;
  }

  /** The latest snapshots (without their content), newest first, and how many there are. */
  async recent(page: number, pageSize: number): Promise<[ScrapeSnapshot[], number]> {
    return this.snapshots.findAndCount({
      order: { createdAt: 'DESC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
  }

  /** Whether a snapshot has a screenshot, without reading it. */
  async hasScreenshot(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.snapshots
      .createQueryBuilder('s')
      .select('s.id', 'id')
      .where('s.id IN (:...ids) AND s.screenshot IS NOT NULL', { ids })
      .getRawMany<{ id: string }>();
    return new Set(rows.map((row) => row.id));
  }

  /** A snapshot's details (without its content). */
  find(id: string): Promise<ScrapeSnapshot | null> {
    return this.snapshots.findOne({ where: { id } });
  }

  /** The stored HTML (UTF-8, possibly cut) of a snapshot, or null. */
  async html(id: string): Promise<string | null> {
    const row = await this.snapshots
      .createQueryBuilder('s')
      .select('s.html', 'html')
      .where('s.id = :id', { id })
      .getRawOne<{ html: Buffer }>();
    return row ? new TextDecoder().decode(row.html) : null;
  }

  /** The stored PNG of a snapshot; null when there is none. */
  async screenshot(id: string): Promise<Buffer | null> {
    const row = await this.snapshots
      .createQueryBuilder('s')
      .select('s.screenshot', 'screenshot')
      .where('s.id = :id', { id })
      .getRawOne<{ screenshot: Buffer | null }>();
    return row?.screenshot ?? null;
  }

  /** The latest snapshot of each OS of a batch: os_number → id. */
  async idsForBatch(batchId: string): Promise<Map<string, string>> {
    const rows = await this.snapshots
      .createQueryBuilder('s')
      .select(['s.os_number AS os_number', 's.id AS id'])
      .distinctOn(['s.os_number'])
      .where('s.batch_id = :batchId', { batchId })
      .orderBy('s.os_number')
      .addOrderBy('s.created_at', 'DESC')
      .getRawMany<{ os_number: string; id: string }>();
    return new Map(rows.map((row) => [row.os_number, row.id]));
  }

  /** Deletes snapshots older than SNAPSHOT_RETENTION_DAYS; returns how many. */
  async purge(now = new Date()): Promise<number> {
    const before = new Date(now.getTime() - this.config.SNAPSHOT_RETENTION_DAYS * 86_400_000);
    const result = await this.snapshots.delete({ createdAt: LessThan(before) });
    return result.affected ?? 0;
  }
}

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
