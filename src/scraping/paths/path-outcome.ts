import type { ExtractionResult } from '../extractor/extraction-result.js';
import { IncompleteExtractionError, SessionExpiredError } from '../scrape-errors.js';

/** What a path read: the OS, or the target's word that it does not exist. */
export type PathOutcome =
  { kind: 'ok'; data: Record<string, unknown> } | { kind: 'not_found' } | { kind: 'forbidden' };

/** Turns an extraction into an outcome, throwing for the cases another try or path must handle. */
export function outcomeOf(extraction: ExtractionResult): PathOutcome {
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
