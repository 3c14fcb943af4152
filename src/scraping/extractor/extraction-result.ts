import type { ExtractionDiagnostics } from './extraction-diagnostics.js';

/** Where a table's rows came from: the HTML, data embedded in a script, a JSON side request. */
export type TableSource = 'html' | 'script' | 'json' | 'none';

/** What `extractOrder` made of a page. */
export type ExtractionResult =
  | {
      kind: 'ok';
      /** One key per field and table of the profile; empty values are null, tables are arrays. */
      data: Record<string, unknown>;
      /**
       * Required fields and tables that came out empty (`"valor_total"`, `"itens"`, or a required
       * column of a row, `"itens[2].valor_total"`): the page is incomplete and a browser may do better.
       */
      missing: string[];
      /** Values present on the page that did not parse as their type (e.g. `"data_abertura"`). */
      invalid: string[];
      /** Where each table's rows came from. */
      tableSources: Record<string, TableSource>;
      /** Why each value is what it is; only when asked for (`{ diagnostics: true }`). */
      diagnostics?: ExtractionDiagnostics;
    }
  | { kind: 'not_found' }
  /** The OS exists but this account may not see it (the profile's `forbidden` pattern). */
  | { kind: 'forbidden' }
  /** The session is over: an expired-session page or the login form came back. */
  | { kind: 'session_expired' };
