/** `--name value`, `--name=value` and bare `--flag` (true), as given. */
export type Flags = Map<string, string | true>;

export function parseFlags(argv: readonly string[] = process.argv.slice(2)): Flags {
  const flags: Flags = new Map();
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index]!;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument: ${arg}`);
    const body = arg.slice(2);
    const equals = body.indexOf('=');
    if (equals >= 0) {
      flags.set(body.slice(0, equals), body.slice(equals + 1));
      continue;
    }
    const next = argv[index + 1];
    if (next !== undefined && !next.startsWith('--')) {
      flags.set(body, next);
      index += 1;
    } else {
      flags.set(body, true);
    }
  }
  return flags;
}

/** A whole number from `--name`, else the environment variable `env`, else `fallback`. */
export function intOption(
  flags: Flags,
  name: string,
  env: string | undefined,
  fallback: number,
  min = 0,
): number {
  const raw = flags.get(name) ?? (env ? process.env[env] : undefined);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw === true || !Number.isInteger(value) || value < min) {
    throw new Error(`--${name}${env ? ` / ${env}` : ''} must be a whole number ≥ ${min}`);
  }
  return value;
}

/** A comma-separated list from `--name` or `env`, each entry one of `allowed`. */
export function listOption<T extends string>(
  flags: Flags,
  name: string,
  env: string | undefined,
  allowed: readonly T[],
  fallback: readonly T[] = allowed,
): T[] {
  const raw = flags.get(name) ?? (env ? process.env[env] : undefined);
  if (raw === undefined) return [...fallback];
  const values = String(raw)
    .split(',')
    .map((value) => value.trim())
    .filter(Boolean);
  const bad = values.filter((value) => !(allowed as readonly string[]).includes(value));
  if (raw === true || bad.length > 0 || values.length === 0) {
    throw new Error(`--${name} takes a comma-separated list of: ${allowed.join(', ')}`);
  }
  return values as T[];
}

/** `--worker-env K=V,K=V` into an object. */
export function keyValues(raw: string | true | undefined): Record<string, string> {
  if (raw === undefined) return {};
  if (raw === true) throw new Error('--worker-env takes K=V,K=V');
  return Object.fromEntries(
    raw.split(',').map((pair) => {
      const [key, ...value] = pair.split('=');
      if (!key || value.length === 0) throw new Error(`--worker-env: bad pair "${pair}"`);
      return [key.trim(), value.join('=').trim()];
    }),
  );
}

/** Text from `--name=…`, else the environment variable `env`, else `fallback`; bare `--name` is "". */
export function textOption(flags: Flags, name: string, env: string, fallback: string): string {
  const value = flags.get(name) ?? process.env[env];
  if (value === undefined) return fallback;
  return value === true ? '' : value;
}
