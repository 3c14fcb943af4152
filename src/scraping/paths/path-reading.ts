import type { ExtractionResult } from '../extractor/extraction-result.js';
import { IncompleteExtractionError, SessionExpiredError } from '../scrape-errors.js';

/**
 * What one path read on one try: the OS, or the target's word that it does not exist or may not be
 * seen. Not yet an outcome: the scraper's retry and fallback turn readings into a `ScrapeOutcome`.
 */
export type PathReading =
  { kind: 'ok'; data: Record<string, unknown> } | { kind: 'not_found' } | { kind: 'forbidden' };

/** Turns an extraction into a reading, throwing for the cases another try or path must handle. */
export function readingOf(extraction: ExtractionResult): PathReading {
  switch (extraction.kind) {
    case 'not_found':
      return { kind: 'not_found' };
    case 'forbidden':
      return { kind: 'forbidden' };
    case 'session_expired':
      throw new SessionExpiredError();
    case 'ok':
      if (extraction.missing.length > 0) throw new IncompleteExtractionError(extraction.missing);
      return { kind: 'ok', data: extraction.data };
  }
}
