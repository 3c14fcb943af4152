import { BadRequestException, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ScrapePath } from '../stats/scrape-outcome.js';
import { decodeChangeCursor, encodeChangeCursor } from './change-cursor.js';
import type { OsChangesPageDto } from './dto/os-changes.dto.js';

/**
 * `last_changed_at` is when the writing transaction started, so a transaction that started
 * earlier may commit after a later one. Changes this recent are held back so that a cursor never
 * moves past a change that is still being committed.
 */
const SETTLE_SECONDS = 5;

interface ChangeRow {
  os_number: string;
  version: number;
  data: Record<string, unknown>;
  last_path: ScrapePath;
  last_scraped_at: Date;
  last_changed_at: Date;
  changed_at_text: string;
}

/** The change feed: stored OS ordered by when their content last changed. */
@Injectable()
export class OsChangesService {
  constructor(private readonly dataSource: DataSource) {}

  async page(
    changedSince: string | undefined,
    cursorText: string | undefined,
    limit: number,
  ): Promise<OsChangesPageDto> {
    const cursor = cursorText === undefined ? undefined : decodeChangeCursor(cursorText);
    if (cursorText !== undefined && !cursor)
      throw new BadRequestException('cursor is not a next_cursor of this feed');
    const rows = await this.dataSource.query<ChangeRow[]>(
      `SELECT os_number, version, data, last_path, last_scraped_at, last_changed_at,
              last_changed_at::text AS changed_at_text
         FROM scraped_orders
        WHERE last_changed_at < now() - make_interval(secs => $5)
          AND ($1::timestamptz IS NULL OR last_changed_at >= $1::timestamptz)
          AND ($2::timestamptz IS NULL OR (last_changed_at, os_number) > ($2::timestamptz, $3::varchar))
        ORDER BY last_changed_at, os_number
        LIMIT $4`,
      [
        changedSince ?? null,
        cursor?.changedAt ?? null,
        cursor?.osNumber ?? null,
        limit + 1,
        SETTLE_SECONDS,
      ],
    );
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return {
      items: items.map((row) => ({
        os_number: row.os_number,
        version: row.version,
        last_changed_at: row.last_changed_at.toISOString(),
        last_scraped_at: row.last_scraped_at.toISOString(),
        last_path: row.last_path,
        data: row.data,
      })),
      next_cursor: last
        ? encodeChangeCursor({ changedAt: last.changed_at_text, osNumber: last.os_number })
        : (cursorText ?? null),
      has_more: rows.length > limit,
    };
  }
}
