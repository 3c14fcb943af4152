import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config.js';
import { describeLookup } from '../extractor/extraction-diagnostics.js';
import { TargetDefinition } from '../target/target-definition.js';

/** A field (or table) of the profile that most of the recent OS came out without. */
export interface LayoutDriftFinding {
  target: string;
  field: string;
  /** How the profile looks for it: `selector "#cli_nome"`, `label "Cliente"`... */
  how: string;
  recentEmpty: number;
  recentTotal: number;
  /** Share (0-1) of the OS before those that had it; null when there were none. */
  earlierFilled: number | null;
}

/**
 * The layout-drift check: over the last ALERT_LAYOUT_DRIFT_WINDOW OS read (their stored data),
 * a field is reported when it is empty in most of them and either was filled in most of the OS
 * before (the page changed) or is empty in all of them (a selector that never matched, e.g. a
 * typo in an optional field, which otherwise stores "successful" records with null).
 */
@Injectable()
export class LayoutDrift {
  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly target: TargetDefinition,
  ) {}

  async findings(): Promise<LayoutDriftFinding[]> {
    const profile = this.target.profile;
    const window = this.config.ALERT_LAYOUT_DRIFT_WINDOW;
    const how = new Map<string, string>([
      ...profile.fields.map((field) => [field.name, describeLookup(field)] as [string, string]),
      ...profile.tables.map(
        (table) => [table.name, `row_selector "${table.row_selector}"`] as [string, string],
      ),
    ]);
    const rows = await this.dataSource.query<
      Array<{
        key: string;
        recent_total: string;
        recent_filled: string;
        earlier_total: string;
        earlier_filled: string;
      }>
    >(
      `WITH ranked AS (
         SELECT data, row_number() OVER (ORDER BY last_scraped_at DESC, id) AS rn
           FROM scraped_orders ORDER BY last_scraped_at DESC, id LIMIT 2 * $1::int)
       SELECT k AS key,
              count(*) FILTER (WHERE rn <= $1) AS recent_total,
              count(*) FILTER (WHERE rn <= $1 AND filled) AS recent_filled,
              count(*) FILTER (WHERE rn > $1) AS earlier_total,
              count(*) FILTER (WHERE rn > $1 AND filled) AS earlier_filled
         FROM ranked CROSS JOIN unnest($2::text[]) AS k,
              LATERAL (SELECT coalesce(jsonb_typeof(data -> k), 'null') <> 'null'
                              AND data -> k NOT IN ('[]'::jsonb, '""'::jsonb) AS filled) f
        GROUP BY k`,
      [window, [...how.keys()]],
    );
    const findings: LayoutDriftFinding[] = [];
    for (const row of rows) {
      const recentTotal = Number(row.recent_total);
      const recentEmpty = recentTotal - Number(row.recent_filled);
      const earlierTotal = Number(row.earlier_total);
      const earlierFilled = earlierTotal > 0 ? Number(row.earlier_filled) / earlierTotal : null;
      if (recentTotal < window || recentEmpty * 2 <= recentTotal) continue;
      const drifted = earlierFilled !== null && earlierFilled >= 0.5;
      if (!drifted && recentEmpty < recentTotal) continue;
      findings.push({
        target: profile.name,
        field: row.key,
        how: how.get(row.key) ?? row.key,
        recentEmpty,
        recentTotal,
        earlierFilled,
      });
    }
    return findings.sort((a, b) => a.field.localeCompare(b.field));
  }
}
