import type { TableDiagnostic, ValueDiagnostic } from '../extractor/extraction-diagnostics.js';
import { extractOrder } from '../extractor/order-extractor.js';
import type { TargetProfile } from '../profile/target-profile.js';
import type { CapturedPage } from './page-capture.js';

/** What the extractor made of a failed OS's page: its kind, and every value it could not read. */
export interface SnapshotDiagnostics {
  kind: 'ok' | 'not_found' | 'forbidden' | 'session_expired';
  missing?: string[];
  /** Fields and cells that came out empty or invalid (values read are left out). */
  values?: ValueDiagnostic[];
  tables?: TableDiagnostic[];
}

/** Cells listed at most, so a page with thousands of empty cells keeps a small record. */
const MAX_VALUES = 200;

/** The extractor's own diagnostics of a kept page (the same as `profile:try` prints). */
export function snapshotDiagnostics(
  page: CapturedPage,
  profile: TargetProfile,
): SnapshotDiagnostics {
  const result = extractOrder(page.html, profile, page.sideResponses ?? {}, {
    status: page.status,
    url: page.url,
    diagnostics: true,
  });
  if (result.kind !== 'ok') return { kind: result.kind };
  const diagnostics = result.diagnostics!;
  return {
    kind: 'ok',
    missing: result.missing,
    values: [...diagnostics.fields, ...diagnostics.cells]
      .filter((value) => value.state !== 'value')
      .slice(0, MAX_VALUES)
      // The text of a value is kept short: the HTML is there for the rest.
      .map((value) => (value.text ? { ...value, text: value.text.slice(0, 200) } : value)),
    tables: diagnostics.tables,
  };
}
