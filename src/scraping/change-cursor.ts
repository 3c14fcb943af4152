/** A position in the change feed: the last row sent, by (last_changed_at, os_number). */
export interface ChangeCursor {
  /** `last_changed_at` as PostgreSQL prints it, microseconds included (a JS Date would drop them). */
  changedAt: string;
  osNumber: string;
}

const CHANGED_AT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/;

/** Opaque to clients: base64url of a small JSON document. */
export function encodeChangeCursor(cursor: ChangeCursor): string {
  return Buffer.from(JSON.stringify({ t: cursor.changedAt, n: cursor.osNumber })).toString(
    'base64url',
  );
}

/** The cursor, or undefined when the text is not one `encodeChangeCursor` wrote. */
export function decodeChangeCursor(text: string): ChangeCursor | undefined {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
    if (typeof value !== 'object' || value === null) return undefined;
    const { t, n } = value as { t?: unknown; n?: unknown };
    if (typeof t !== 'string' || !CHANGED_AT.test(t)) return undefined;
    if (typeof n !== 'string' || n.length === 0 || n.length > 64) return undefined;
    return { changedAt: t, osNumber: n };
  } catch {
    return undefined;
  }
}
