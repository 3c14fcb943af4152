interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/**
 * Runs an `UPDATE … RETURNING` (or DELETE) and gives its rows. TypeORM answers such statements
 * on PostgreSQL with `[rows, affectedCount]`, unlike SELECT and INSERT.
 */
export async function updateReturning<T>(
  runner: Queryable,
  sql: string,
  parameters: unknown[],
): Promise<T[]> {
  const raw = await runner.query(sql, parameters);
  if (
    Array.isArray(raw) &&
    raw.length === 2 &&
    Array.isArray(raw[0]) &&
    typeof raw[1] === 'number'
  ) {
    return raw[0] as T[];
  }
  throw new Error('expected the [rows, count] answer of an UPDATE or DELETE statement');
}

/** Runs an UPDATE or DELETE and gives how many rows it touched. */
export async function affectedRows(
  runner: Queryable,
  sql: string,
  parameters: unknown[],
): Promise<number> {
  const raw = await runner.query(sql, parameters);
  if (Array.isArray(raw) && raw.length === 2 && typeof raw[1] === 'number') return raw[1];
  throw new Error('expected the [rows, count] answer of an UPDATE or DELETE statement');
}
